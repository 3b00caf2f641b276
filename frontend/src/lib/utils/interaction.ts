// The "Sign in" pipeline of the /interaction page (protocol.md §1.6 "SPA behaviour"), kept free of UI so it can be
// unit-tested: sign in with a passkey when needed, reauthenticate for a `reauthenticate` step, complete the current
// step, and go on by itself only through reauthentication steps. Account selection and consent come back to the
// page so the user sees them before confirming with another click.
import type { CompleteInteractionResponse, InteractionSession, InteractionStep } from '$lib/api/types';

export type InteractionDeps = {
	isSignedIn: () => boolean;
	/** Passkey sign-in (login start → browser ceremony → login finish). */
	signIn: () => Promise<void>;
	/** POST /api/webauthn/reauthenticate without a body, then with a fresh assertion if that fails. */
	reauthenticate: () => Promise<void>;
	complete: (id: string, step: InteractionStep | undefined) => Promise<CompleteInteractionResponse>;
};

export type InteractionOutcome =
	| { kind: 'redirect'; redirectUrl: string }
	/** Steps remain that the user has to see (account selection, consent). */
	| { kind: 'interaction'; interaction: InteractionSession };

/** The step the server expects next (`currentStep`, or the first required step). */
export function currentStep(interaction: InteractionSession): InteractionStep | undefined {
	return interaction.currentStep ?? interaction.requiredSteps?.[0];
}

/** At most this many steps are completed in one run (the server knows four kinds; this guards a loop). */
const MAX_STEPS = 8;

export async function runInteraction(
	interaction: InteractionSession,
	deps: InteractionDeps
): Promise<InteractionOutcome> {
	if (!deps.isSignedIn()) await deps.signIn();

	let session = interaction;
	for (let i = 0; i < MAX_STEPS; i++) {
		const step = currentStep(session);
		if (step === 'reauthenticate') await deps.reauthenticate();

		const result = await deps.complete(session.id, step);
		if (result.interaction) {
			session = result.interaction;
			if (currentStep(session) === 'reauthenticate') continue;
			return { kind: 'interaction', interaction: session };
		}
		if (result.redirectUrl) return { kind: 'redirect', redirectUrl: result.redirectUrl };
		throw new Error('The interaction response has neither an interaction nor a redirect URL');
	}
	return { kind: 'interaction', interaction: session };
}

/** Reauthentication: the fresh session first (no body), a new passkey assertion when that is refused. */
export async function reauthenticateWithFallback(
	withoutBody: () => Promise<void>,
	withAssertion: () => Promise<void>
): Promise<void> {
	try {
		await withoutBody();
	} catch {
		await withAssertion();
	}
}
