// A single app-wide confirmation dialog, opened from anywhere with openConfirmDialog().
import { m } from '$lib/paraglide/messages';

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
