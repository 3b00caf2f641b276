-- Our own plain tables for the state Pocket ID keeps in its actor runtime (francis_* tables). Same tables, columns
-- and meaning as the SQLite migration of the same version; types follow this engine's conventions (ids uuid where
-- they are generated UUIDs, timestamptz). Secrets are never stored in clear: *_hash columns hold the lowercase SHA-256
-- hex of the code or token.

-- The application configuration (upstream's AppConfig actor singleton): one row per JSON key, value as text.
CREATE TABLE app_config
(
    key        text        NOT NULL PRIMARY KEY,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL
);

-- One-time access (login) codes and magic links (upstream's OneTimeAccessToken actors).
CREATE TABLE login_codes
(
    token_hash        text        NOT NULL PRIMARY KEY,
    user_id           uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    device_token_hash text,
    expires_at        timestamptz NOT NULL,
    created_at        timestamptz NOT NULL
);

CREATE INDEX idx_login_codes_expires_at ON login_codes (expires_at);
CREATE INDEX idx_login_codes_user_id ON login_codes (user_id);

-- Signup tokens (upstream's SignupToken actors); the groups a new user joins are a join table.
CREATE TABLE signup_invitations
(
    id          uuid        NOT NULL PRIMARY KEY,
    token_hash  text        NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    usage_limit integer     NOT NULL,
    usage_count integer     NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL
);

CREATE INDEX idx_signup_invitations_expires_at ON signup_invitations (expires_at);

CREATE TABLE signup_invitations_user_groups
(
    invitation_id uuid NOT NULL REFERENCES signup_invitations (id) ON DELETE CASCADE,
    user_group_id uuid NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (invitation_id, user_group_id)
);

-- The primary key leads with invitation_id; the cascade from user_groups needs its own index.
CREATE INDEX idx_signup_invitations_user_groups_user_group_id ON signup_invitations_user_groups (user_group_id);

-- Pending email-verification codes (upstream's EmailVerification actors, one per user).
CREATE TABLE email_verification_codes
(
    user_id    uuid        NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash text        NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE INDEX idx_email_verification_codes_expires_at ON email_verification_codes (expires_at);

-- Cross-device login requests (upstream's device-login-request actors).
CREATE TABLE device_login_requests
(
    id          uuid        NOT NULL PRIMARY KEY,
    code_hash   text        NOT NULL UNIQUE,
    status      text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'denied')),
    user_id     uuid REFERENCES users (id) ON DELETE CASCADE,
    ip_address  text,
    user_agent  text,
    country     text,
    city        text,
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL,
    approved_at timestamptz
);

CREATE INDEX idx_device_login_requests_expires_at ON device_login_requests (expires_at);
CREATE INDEX idx_device_login_requests_user_id ON device_login_requests (user_id);

-- Token buckets of the rate limiter (upstream: one actor per policy), shared by every replica.
CREATE TABLE rate_limit_buckets
(
    policy     text             NOT NULL,
    client_key text             NOT NULL,
    tokens     double precision NOT NULL,
    updated_at timestamptz      NOT NULL,
    PRIMARY KEY (policy, client_key)
);

CREATE INDEX idx_rate_limit_buckets_updated_at ON rate_limit_buckets (updated_at);

-- Cron-style background jobs; locked_until/locked_by let several replicas share them without running one twice.
CREATE TABLE scheduled_jobs
(
    name         text        NOT NULL PRIMARY KEY,
    next_run_at  timestamptz NOT NULL,
    last_run_at  timestamptz,
    locked_until timestamptz,
    locked_by    text
);
