import { errorMessage } from '$lib/api/client';
import { toast } from 'svelte-sonner';

/** Shows the error of a failed request (the backend's message, or a worded one for known codes) as a toast. */
export function toastError(e: unknown, fallback?: string) {
	toast.error(errorMessage(e, fallback));
}
