// Validation of the API form (POST /api/apis: name 1–50; resource an absolute URI without fragment, max 350).
import { m } from '$lib/paraglide/messages';
import { z } from 'zod';

function isAbsoluteUri(value: string): boolean {
	if (/^(javascript|data):/i.test(value)) return false;
	try {
		new URL(value);
		return true;
	} catch {
		return false;
	}
}

export const apiSchema = z.object({
	name: z.string().min(1).max(50),
	resource: z
		.string()
		.min(1)
		.max(350)
		.refine((v) => !/[#\s]/.test(v), { error: () => m.resource_must_not_contain_whitespace_or_fragment() })
		.refine(isAbsoluteUri, { error: () => m.invalid_url() })
});
