-- Our own plain tables for the state Pocket ID keeps in its actor runtime (francis_* tables). Same tables, columns
-- and meaning as the PostgreSQL migration of the same version; types follow this engine's conventions (DATETIME =
-- INTEGER unix seconds, ids TEXT). Secrets are never stored in clear: *_hash columns hold the lowercase SHA-256 hex
-- of the code or token.

-- The application configuration (upstream's AppConfig actor singleton): one row per JSON key, value as text.
CREATE TABLE app_config
(
    key        TEXT     NOT NULL PRIMARY KEY,
    value      TEXT     NOT NULL,
    updated_at DATETIME NOT NULL
);

-- One-time access (login) codes and magic links (upstream's OneTimeAccessToken actors).
CREATE TABLE login_codes
(
    token_hash        TEXT     NOT NULL PRIMARY KEY,
    user_id           TEXT     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_token_hash TEXT,
    expires_at        DATETIME NOT NULL,
    created_at        DATETIME NOT NULL
);

CREATE INDEX idx_login_codes_expires_at ON login_codes (expires_at);
CREATE INDEX idx_login_codes_user_id ON login_codes (user_id);

-- Signup tokens (upstream's SignupToken actors); the groups a new user joins are a join table.
CREATE TABLE signup_invitations
(
    id          TEXT     NOT NULL PRIMARY KEY,
    token_hash  TEXT     NOT NULL UNIQUE,
    expires_at  DATETIME NOT NULL,
    usage_limit INTEGER  NOT NULL,
    usage_count INTEGER  NOT NULL DEFAULT 0,
    created_at  DATETIME NOT NULL
);

CREATE INDEX idx_signup_invitations_expires_at ON signup_invitations (expires_at);

CREATE TABLE signup_invitations_user_groups
(
    invitation_id TEXT NOT NULL REFERENCES signup_invitations (id) ON DELETE CASCADE,
    user_group_id TEXT NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (invitation_id, user_group_id)
);

-- The primary key leads with invitation_id; the cascade from user_groups needs its own index.
CREATE INDEX idx_signup_invitations_user_groups_user_group_id ON signup_invitations_user_groups (user_group_id);

-- Pending email-verification codes (upstream's EmailVerification actors, one per user).
CREATE TABLE email_verification_codes
(
    user_id    TEXT     NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT     NOT NULL UNIQUE,
    expires_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL
);

CREATE INDEX idx_email_verification_codes_expires_at ON email_verification_codes (expires_at);

-- Cross-device login requests (upstream's device-login-request actors).
CREATE TABLE device_login_requests
(
    id          TEXT     NOT NULL PRIMARY KEY,
    code_hash   TEXT     NOT NULL UNIQUE,
    status      TEXT     NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
    user_id     TEXT REFERENCES users (id) ON DELETE CASCADE,
    ip_address  TEXT,
    user_agent  TEXT,
    country     TEXT,
    city        TEXT,
    expires_at  DATETIME NOT NULL,
    created_at  DATETIME NOT NULL,
    approved_at DATETIME
);

CREATE INDEX idx_device_login_requests_expires_at ON device_login_requests (expires_at);
CREATE INDEX idx_device_login_requests_user_id ON device_login_requests (user_id);

-- Token buckets of the rate limiter (upstream: one actor per policy), shared by every replica.
CREATE TABLE rate_limit_buckets
(
    policy     TEXT     NOT NULL,
    client_key TEXT     NOT NULL,
    tokens     REAL     NOT NULL,
    updated_at DATETIME NOT NULL,
    PRIMARY KEY (policy, client_key)
);

CREATE INDEX idx_rate_limit_buckets_updated_at ON rate_limit_buckets (updated_at);

-- Cron-style background jobs; locked_until/locked_by let several replicas share them without running one twice.
CREATE TABLE scheduled_jobs
(
    name         TEXT     NOT NULL PRIMARY KEY,
    next_run_at  DATETIME NOT NULL,
    last_run_at  DATETIME,
    locked_until DATETIME,
    locked_by    TEXT
);
