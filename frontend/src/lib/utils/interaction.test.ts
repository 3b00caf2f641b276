import { describe, expect, it, vi } from 'vitest';
import type { InteractionSession, InteractionStep } from '$lib/api/types';
import { currentStep, reauthenticateWithFallback, runInteraction, type InteractionDeps } from './interaction';

const client = {
	id: 'c1',
	name: 'Nextcloud',
	description: '',
	hasLogo: false,
	hasDarkLogo: false,
	launchURL: null,
	requiresReauthentication: false,
	clientType: 'standard' as const
};

function session(steps: InteractionStep[]): InteractionSession {
	return { id: 'i1', scopes: ['openid'], scopeInfo: [], client, currentStep: steps[0], requiredSteps: steps };
}

function deps(overrides: Partial<InteractionDeps> & { steps?: InteractionStep[][] } = {}) {
	const log: string[] = [];
	// Each completion answers with the next entry of `steps` (remaining steps) or the redirect.
	const queue = [...(overrides.steps ?? [])];
	let signedIn = false;
	const d: InteractionDeps = {
		isSignedIn: () => signedIn,
		signIn: vi.fn(async () => {
			log.push('signIn');
			signedIn = true;
		}),
		reauthenticate: vi.fn(async () => {
			log.push('reauthenticate');
		}),
		complete: vi.fn(async (_id: string, step: InteractionStep | undefined) => {
			log.push(`complete:${step}`);
			const next = queue.shift();
			return next && next.length ? { interaction: session(next) } : { redirectUrl: '/authorize?interaction=i1' };
		}),
		...overrides
	};
	return { d, log, setSignedIn: (v: boolean) => (signedIn = v) };
}

describe('runInteraction', () => {
	it('signs in, completes authenticate and follows the redirect', async () => {
		const { d, log } = deps();
		const out = await runInteraction(session(['authenticate']), d);
		expect(out).toEqual({ kind: 'redirect', redirectUrl: '/authorize?interaction=i1' });
		expect(log).toEqual(['signIn', 'complete:authenticate']);
	});

	it('stops at consent so that the user sees the scopes first', async () => {
		const { d, log } = deps({ steps: [['consent']] });
		const out = await runInteraction(session(['authenticate']), d);
		expect(out.kind).toBe('interaction');
		expect(out.kind === 'interaction' && currentStep(out.interaction)).toBe('consent');
		expect(log).toEqual(['signIn', 'complete:authenticate']);
	});

	it('continues through reauthentication without another click', async () => {
		const { d, log } = deps({ steps: [['reauthenticate', 'consent'], ['consent']] });
		const out = await runInteraction(session(['authenticate', 'reauthenticate', 'consent']), d);
		expect(out.kind).toBe('interaction');
		expect(log).toEqual(['signIn', 'complete:authenticate', 'reauthenticate', 'complete:reauthenticate']);
	});

	it('does not sign in again when a user is signed in', async () => {
		const { d, log, setSignedIn } = deps();
		setSignedIn(true);
		await runInteraction(session(['consent']), d);
		expect(log).toEqual(['complete:consent']);
	});

	it('reauthenticates before completing a reauthenticate step', async () => {
		const { d, log, setSignedIn } = deps();
		setSignedIn(true);
		await runInteraction(session(['reauthenticate']), d);
		expect(log).toEqual(['reauthenticate', 'complete:reauthenticate']);
	});

	it('propagates failures (e.g. a cancelled passkey prompt) without completing', async () => {
		const { d } = deps({ signIn: vi.fn(async () => Promise.reject(new Error('NotAllowedError'))) });
		await expect(runInteraction(session(['authenticate']), d)).rejects.toThrow('NotAllowedError');
		expect(d.complete).not.toHaveBeenCalled();
	});

	it('uses the first required step when currentStep is missing', () => {
		expect(currentStep({ ...session(['consent']), currentStep: undefined })).toBe('consent');
		expect(currentStep({ ...session([]), currentStep: undefined })).toBeUndefined();
	});
});

describe('reauthenticateWithFallback', () => {
	it('uses the session first', async () => {
		const withAssertion = vi.fn(async () => {});
		await reauthenticateWithFallback(async () => {}, withAssertion);
		expect(withAssertion).not.toHaveBeenCalled();
	});

	it('falls back to a passkey assertion', async () => {
		const withAssertion = vi.fn(async () => {});
		await reauthenticateWithFallback(async () => Promise.reject(new Error('401')), withAssertion);
		expect(withAssertion).toHaveBeenCalledOnce();
	});
});
