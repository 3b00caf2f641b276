// Shapes of the JSON the backend sends and accepts (management.md §1, protocol.md §4).

export type CustomClaim = { key: string; value: string };

export type UserGroupMinimal = {
	id: string;
	friendlyName: string;
	name: string;
	customClaims: CustomClaim[];
	userCount: number;
	ldapId: string | null;
	createdAt: string;
};

export type User = {
	id: string;
	username: string;
	email: string | null;
	emailVerified: boolean;
	firstName: string;
	lastName: string | null;
	displayName: string;
	isAdmin: boolean;
	locale: string | null;
	customClaims: CustomClaim[];
	userGroups: UserGroupMinimal[];
	ldapId: string | null;
	disabled: boolean;
};

/** Body of PUT /api/users/me (a subset of UserCreateDto). */
export type AccountUpdate = {
	username: string;
	email?: string | null;
	firstName: string;
	lastName?: string | null;
	displayName: string;
	locale?: string | null;
};

/** Body of POST /api/signup and POST /api/signup/setup. */
export type UserSignUp = {
	username: string;
	email?: string;
	firstName: string;
	lastName?: string;
	token?: string;
};

export type Passkey = {
	id: string;
	name: string;
	credentialID: string;
	attestationType: string;
	transport: string[];
	backupEligible: boolean;
	backupState: boolean;
	createdAt: string;
	/** Not sent by Pocket ID v2.14; shown when a backend provides it. */
	lastUsedAt?: string | null;
};

/** The public application configuration (GET /api/application-configuration), values parsed. */
export type AppConfig = {
	appName: string;
	homePageUrl: string;
	accentColor: string;
	disableAnimations: boolean;
	allowOwnAccountEdit: boolean;
	allowUserSignups: 'disabled' | 'withToken' | 'open';
	requireUserEmail: boolean;
	emailOneTimeAccessAsUnauthenticatedEnabled: boolean;
	emailOneTimeAccessAsAdminEnabled: boolean;
	emailVerificationEnabled: boolean;
	ldapEnabled: boolean;
	uiConfigDisabled: boolean;
	tracingEnabled?: boolean;
	[key: string]: unknown;
};

export type AppConfigRawEntry = { key: string; type: string; value: string; isPublic?: boolean };

export type SortDirection = 'asc' | 'desc';

export type ListRequestOptions = {
	pagination?: { page: number; limit: number };
	sort?: { column: string; direction: SortDirection };
	search?: string;
	filters?: Record<string, (string | number | boolean)[]>;
};

export type PaginationInfo = {
	totalPages: number;
	totalItems: number;
	currentPage: number;
	itemsPerPage: number;
};

export type Paginated<T> = {
	data: T[];
	pagination: PaginationInfo;
};

export type AuditLog = {
	id: string;
	createdAt: string;
	event: string;
	ipAddress: string;
	country: string;
	city: string;
	device: string;
	userID: string;
	username?: string;
	actorUsername?: string;
	data: Record<string, string>;
};
