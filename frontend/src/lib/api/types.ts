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

/** UserCreateDto: the body of POST /api/users and PUT /api/users/:id (admin). */
export type UserCreate = {
	username: string;
	email?: string | null;
	emailVerified: boolean;
	firstName: string;
	lastName?: string | null;
	displayName: string;
	isAdmin: boolean;
	disabled: boolean;
	locale?: string | null;
	/** Create only. */
	userGroupIds?: string[];
};

/** The response of POST /api/users/:id/one-time-access-token. */
export type OneTimeAccessToken = { token: string };

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

// --- OIDC clients (management.md §1.5, §1.6; protocol.md §1.6, §1.19) ---

export type OidcClientType = 'standard' | 'cimd';

/** OidcClientMetaDataDto (also GET /api/oidc/clients/:id/meta). */
export type OidcClientMetaData = {
	id: string;
	name: string;
	description: string;
	hasLogo: boolean;
	hasDarkLogo: boolean;
	launchURL: string | null;
	requiresReauthentication: boolean;
	clientType: OidcClientType;
};

export type OidcClientFederatedIdentity = {
	issuer: string;
	subject?: string;
	audience?: string;
	jwks?: string;
	replayProtection: boolean;
};

/** OidcClientSecretDto: the clear value is only in the response of the create call. */
export type OidcClientSecret = {
	id: string;
	/** The first 4 characters of the secret; "" for migrated legacy secrets. */
	prefix: string;
	createdAt: string;
	expiresAt: string | null;
	isActive: boolean;
};

export type OidcClientSecretCreated = OidcClientSecret & { secret: string };

export type OidcClientCredentials = {
	federatedIdentities?: OidcClientFederatedIdentity[];
	secrets?: OidcClientSecret[];
};

export type OidcClient = OidcClientMetaData & {
	callbackURLs: string[];
	logoutCallbackURLs: string[];
	isPublic: boolean;
	pkceEnabled: boolean;
	requiresPushedAuthorizationRequests: boolean;
	skipConsent: boolean;
	credentials?: OidcClientCredentials;
	isGroupRestricted: boolean;
	/** Omitted by the server when false. */
	pkceSupported?: boolean;
	accessTokenDurationMinutes: number;
	refreshTokenDurationMinutes: number;
};

export type OidcClientWithAllowedUserGroups = OidcClient & { allowedUserGroups: UserGroupMinimal[] };

export type OidcClientWithAllowedUserGroupsCount = OidcClient & { allowedUserGroupsCount: number };

/** OidcClientUpdateDto (PUT /api/oidc/clients/:id). */
export type OidcClientUpdate = {
	name: string;
	description: string;
	callbackURLs: string[];
	logoutCallbackURLs: string[];
	isPublic: boolean;
	pkceEnabled: boolean;
	requiresReauthentication: boolean;
	requiresPushedAuthorizationRequests: boolean;
	skipConsent: boolean;
	credentials: { federatedIdentities: OidcClientFederatedIdentity[] };
	launchURL?: string;
	logoUrl?: string;
	darkLogoUrl?: string;
	isGroupRestricted: boolean;
	accessTokenDurationMinutes?: number;
	refreshTokenDurationMinutes?: number;
};

/** OidcClientCreateDto (POST /api/oidc/clients): `id` is the optional custom client id. */
export type OidcClientCreate = OidcClientUpdate & { id?: string };

/** The well-known discovery document's fields shown on the client page. */
export type OidcDiscoveryConfiguration = {
	issuer: string;
	authorization_endpoint: string;
	token_endpoint: string;
	userinfo_endpoint: string;
	end_session_endpoint: string;
	jwks_uri: string;
	[key: string]: unknown;
};

/** AccessibleOidcClientDto (apps dashboard). */
export type AccessibleOidcClient = OidcClientMetaData & { lastUsedAt: string | null };

/** AuthorizedOidcClientDto (consents). */
export type AuthorizedOidcClient = { scope: string; client: OidcClientMetaData; lastUsedAt: string };

export type InteractionStep = 'authenticate' | 'select_account' | 'reauthenticate' | 'consent';

export type InteractionScopeInfo = { key: string; name: string; description?: string };

/** GET /api/oidc/interactions/:id */
export type InteractionSession = {
	id: string;
	scopes: string[];
	scopeInfo: InteractionScopeInfo[];
	client: OidcClientMetaData;
	currentStep?: InteractionStep;
	requiredSteps: InteractionStep[];
};

/** POST /api/oidc/interactions/:id/complete */
export type CompleteInteractionResponse = { interaction?: InteractionSession; redirectUrl?: string };

/** GET /api/oidc/device/info?code= (protocol.md §1.14): the device-code consent screen. */
export type DeviceCodeInfo = {
	scope: string[];
	scopeInfo: InteractionScopeInfo[];
	/** The user has to consent (no earlier consent with the same scopes, client does not skip consent). */
	authorizationRequired: boolean;
	/** The client requires a reauthentication before the code is verified. */
	reauthenticationRequired: boolean;
	client: OidcClientMetaData;
};

/** POST /api/device-login/requests (protocol.md §5.5): a "sign in with another device" request; `id` = `userCode`. */
export type DeviceLoginRequest = {
	id: string;
	userCode: string;
	/** APP_URL/device */
	verificationUri: string;
	/** APP_URL/device?user_code=<userCode> */
	verificationUriComplete: string;
	expiresAt: string;
	/** Seconds between two exchange calls. */
	interval: number;
};

/** POST /api/device-login/verification: the requesting device, shown to the approving user. */
export type DeviceLoginVerificationInfo = {
	userCode: string;
	/** The requester's parsed User-Agent. */
	device: string;
	ipAddress?: string;
	country?: string;
	city?: string;
	expiresAt: string;
};

export type DeviceLoginDecision = 'approve' | 'deny';
