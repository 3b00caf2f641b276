import { api, listQuery, type RequestOptions } from './client';
import type { AccountUpdate, ListRequestOptions, Paginated, User, UserSignUp } from './types';

export const usersApi = {
	/** GET /api/users (admin): `search`, pagination, sorting. */
	list: (options?: ListRequestOptions) => api.get<Paginated<User>>('/users', { query: listQuery(options) }),
	/** GET /api/users/me */
	me: (options?: RequestOptions) => api.get<User>('/users/me', options),
	/** PUT /api/users/me */
	updateMe: (body: AccountUpdate) => api.put<User>('/users/me', body),
	/** PUT /api/users/me/profile-picture (multipart field `file`) */
	updateMyProfilePicture: (file: File) => {
		const form = new FormData();
		form.append('file', file);
		return api.put<void>('/users/me/profile-picture', form);
	},
	/** DELETE /api/users/me/profile-picture */
	resetMyProfilePicture: () => api.delete('/users/me/profile-picture'),
	/** The public profile picture URL; `bust` defeats the browser cache after a change. */
	profilePictureUrl: (userId: string, bust?: number) =>
		`/api/users/${encodeURIComponent(userId)}/profile-picture.png${bust ? `?skipCache=${bust}` : ''}`
};

export const signupApi = {
	/** GET /api/signup/setup: resolves when the initial admin can still be created (204), 404 otherwise. */
	setupAvailable: (options?: RequestOptions) => api.get<void>('/signup/setup', options),
	/** POST /api/signup/setup: creates the first admin and signs them in. */
	setup: (body: UserSignUp) => api.post<User>('/signup/setup', body),
	/** POST /api/signup */
	signup: (body: UserSignUp) => api.post<User>('/signup', body)
};

export const oneTimeAccessApi = {
	/** POST /api/one-time-access-token/:code: exchanges a login code for a session. */
	exchange: (code: string) => api.post<User>(`/one-time-access-token/${encodeURIComponent(code)}`),
	/** POST /api/one-time-access-email */
	requestEmail: (email: string, redirectPath?: string) =>
		api.post<void>('/one-time-access-email', { email, redirectPath })
};
