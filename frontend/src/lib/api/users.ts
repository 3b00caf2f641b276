import { api, listQuery, type RequestOptions } from './client';
import type {
	AccountUpdate,
	ListRequestOptions,
	OneTimeAccessToken,
	Paginated,
	Passkey,
	User,
	UserCreate,
	UserSignUp
} from './types';

const userPath = (id: string) => `/users/${encodeURIComponent(id)}`;

function fileForm(file: File): FormData {
	const form = new FormData();
	form.append('file', file);
	return form;
}

export const usersApi = {
	/** GET /api/users (admin): `search`, pagination, sorting, `filters[isAdmin]`/`filters[disabled]`. */
	list: (options?: ListRequestOptions) => api.get<Paginated<User>>('/users', { query: listQuery(options) }),
	/** GET /api/users/:id (admin) */
	get: (id: string, options?: RequestOptions) => api.get<User>(userPath(id), options),
	/** POST /api/users (admin) → 201 UserDto */
	create: (body: UserCreate) => api.post<User>('/users', body),
	/** PUT /api/users/:id (admin) */
	update: (id: string, body: UserCreate) => api.put<User>(userPath(id), body),
	/** DELETE /api/users/:id (admin) */
	remove: (id: string) => api.delete(userPath(id)),
	/** PUT /api/users/:id/user-groups (admin): replaces the user's group memberships. */
	updateUserGroups: (id: string, userGroupIds: string[]) =>
		api.put<User>(`${userPath(id)}/user-groups`, { userGroupIds }),
	/** GET /api/users/:id/webauthn-credentials (admin) */
	listPasskeys: (id: string, options?: RequestOptions) =>
		api.get<Passkey[]>(`${userPath(id)}/webauthn-credentials`, options),
	/** DELETE /api/users/:id/webauthn-credentials/:credentialId (admin) */
	removePasskey: (id: string, passkeyId: string) =>
		api.delete(`${userPath(id)}/webauthn-credentials/${encodeURIComponent(passkeyId)}`),
	/** PUT /api/users/:id/profile-picture (admin, multipart field `file`) */
	updateProfilePicture: (id: string, file: File) => api.put<void>(`${userPath(id)}/profile-picture`, fileForm(file)),
	/** DELETE /api/users/:id/profile-picture (admin): back to the default picture. */
	resetProfilePicture: (id: string) => api.delete(`${userPath(id)}/profile-picture`),
	/** POST /api/users/:id/one-time-access-token (admin): a login code valid for `ttl` seconds. */
	createLoginCode: async (id: string, ttl: number) =>
		(await api.post<OneTimeAccessToken>(`${userPath(id)}/one-time-access-token`, { ttl })).token,
	/** POST /api/users/:id/one-time-access-email (admin): emails the user a login code valid for `ttl` seconds. */
	emailLoginCode: (id: string, ttl: number) => api.post<void>(`${userPath(id)}/one-time-access-email`, { ttl }),
	/** GET /api/users/me */
	me: (options?: RequestOptions) => api.get<User>('/users/me', options),
	/** PUT /api/users/me */
	updateMe: (body: AccountUpdate) => api.put<User>('/users/me', body),
	/** PUT /api/users/me/profile-picture (multipart field `file`) */
	updateMyProfilePicture: (file: File) => api.put<void>('/users/me/profile-picture', fileForm(file)),
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
