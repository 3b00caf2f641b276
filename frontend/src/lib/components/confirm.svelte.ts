// A single app-wide confirmation dialog, opened from anywhere with openConfirmDialog() (or confirmAndRun() for the
// usual "confirm, run the request, toast the outcome, refresh" of a destructive action).
import { m } from '$lib/paraglide/messages';
import { toastError } from '$lib/utils/toast';
import { toast } from 'svelte-sonner';

export type ConfirmOptions = {
	title: string;
	message: string;
	/** The message with markup (Paraglide `m.x.parts(...)`); shown instead of `message` when given. */
	messageParts?: readonly unknown[];
	/** An extra, more prominent warning shown above the buttons. */
	warning?: string;
	confirm: {
		label?: string;
		destructive?: boolean;
		/** May return a promise: the dialog shows a spinner and closes when it settles. */
		action: () => unknown | Promise<unknown>;
	};
	cancelLabel?: string;
};

class ConfirmState {
	open = $state(false);
	options = $state<ConfirmOptions | null>(null);
	busy = $state(false);
}

export const confirmState = new ConfirmState();

export function openConfirmDialog(options: ConfirmOptions) {
	confirmState.options = {
		...options,
		confirm: { label: m.confirm(), destructive: false, ...options.confirm }
	};
	confirmState.busy = false;
	confirmState.open = true;
}

export type ConfirmAndRunOptions = Omit<ConfirmOptions, 'confirm'> & {
	/** The label of the (destructive) confirm button. */
	confirmLabel: string;
	/** The request made once confirmed. */
	run: () => Promise<unknown>;
	/** Toasted when `run` succeeds; a failure is toasted with toastError. */
	successMessage: string;
	/** Called afterwards whether `run` succeeded or not (e.g. reloading the list). */
	refresh?: () => unknown;
};

/** Asks for confirmation of a destructive action, then runs it, toasts the outcome and refreshes. */
export function confirmAndRun({ confirmLabel, run, successMessage, refresh, ...options }: ConfirmAndRunOptions) {
	openConfirmDialog({
		...options,
		confirm: {
			label: confirmLabel,
			destructive: true,
			action: async () => {
				try {
					await run();
					toast.success(successMessage);
				} catch (e) {
					toastError(e);
				}
				await refresh?.();
			}
		}
	});
}
