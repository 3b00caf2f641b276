// A form bound to a zod object schema: field values, per-field error messages, validation on submit.
import type { ApiFieldError } from '$lib/api/client';
import { z } from 'zod';

type Shape = z.ZodObject<z.ZodRawShape>;

export class Form<S extends Shape, V extends Record<string, unknown> = Record<keyof z.input<S> & string, string>> {
	readonly schema: S;
	/** The fields' current values (bind inputs to these). */
	values: V;
	errors = $state<Partial<Record<keyof V & string, string>>>({});
	#initial: V;

	constructor(schema: S, initial: V) {
		this.schema = schema;
		this.#initial = { ...initial };
		this.values = $state({ ...initial });
	}

	/** Whether a field must be filled: neither a missing nor an empty value passes its schema. */
	isRequired(field: keyof V & string): boolean {
		const schema = this.schema.shape[field] as z.ZodType | undefined;
		if (!schema) return false;
		return !schema.safeParse(undefined).success && !schema.safeParse('').success;
	}

	/** Trims strings, validates, records the errors; returns the parsed values or null. */
	validate(): z.output<S> | null {
		const trimmed = Object.fromEntries(
			Object.entries(this.values).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v])
		);
		const result = this.schema.safeParse(trimmed);
		if (!result.success) {
			const errors: Record<string, string> = {};
			for (const issue of result.error.issues) {
				const key = String(issue.path[0] ?? '');
				if (key && !errors[key]) errors[key] = issue.message;
			}
			this.errors = errors as Partial<Record<keyof V & string, string>>;
			return null;
		}
		this.errors = {};
		return result.data;
	}

	/** Shows validation errors returned by the backend (`details.fields`) next to their fields. */
	setServerErrors(fields: ApiFieldError[]): boolean {
		const errors: Record<string, string | undefined> = { ...this.errors };
		let matched = false;
		for (const f of fields) {
			if (f.field in this.values) {
				errors[f.field] = f.message;
				matched = true;
			}
		}
		this.errors = errors as Partial<Record<keyof V & string, string>>;
		return matched;
	}

	reset(values: V = this.#initial) {
		this.values = { ...values };
		this.errors = {};
	}
}
