-- Pocket ID v2.14's complete final schema for PostgreSQL (schema version 20260814120000, upstream's
-- `api_client_access`). Upstream reached it through 64 migrations; we create it in one step. A database that
-- Pocket ID v2.14 created is already at this version and is never touched by this file.
--
-- Types differ from SQLite on purpose, as upstream's do: ids are uuid (except client ids and
-- reauthentication_tokens.id, which are text), timestamps timestamptz, JSON jsonb, binary bytea.
-- Constraint names are PostgreSQL's defaults, which is what upstream's dump shows. Column order follows upstream's
-- final tables (e.g. users.display_name comes after disabled here).

CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE users
(
    id             uuid                      NOT NULL PRIMARY KEY,
    created_at     timestamptz,
    username       citext COLLATE "C"        NOT NULL UNIQUE,
    email          varchar(255) UNIQUE,
    first_name     varchar(100),
    last_name      varchar(100),
    is_admin       boolean     DEFAULT false NOT NULL,
    ldap_id        text,
    locale         text,
    disabled       boolean     DEFAULT false NOT NULL,
    display_name   text                      NOT NULL,
    updated_at     timestamptz,
    email_verified boolean     DEFAULT false NOT NULL
);

CREATE UNIQUE INDEX users_ldap_id ON users (ldap_id);

CREATE TABLE user_groups
(
    id            uuid         NOT NULL PRIMARY KEY,
    created_at    timestamptz,
    friendly_name varchar(255) NOT NULL,
    name          varchar(255) NOT NULL UNIQUE,
    ldap_id       text,
    updated_at    timestamptz
);

CREATE UNIQUE INDEX user_groups_ldap_id ON user_groups (ldap_id);

CREATE TABLE user_groups_users
(
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_group_id uuid NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, user_group_id)
);

CREATE TABLE custom_claims
(
    id            uuid         NOT NULL PRIMARY KEY,
    created_at    timestamptz,
    key           varchar(255) NOT NULL,
    value         text         NOT NULL,
    user_id       uuid REFERENCES users (id) ON DELETE CASCADE,
    user_group_id uuid REFERENCES user_groups (id) ON DELETE CASCADE,
    CONSTRAINT custom_claims_unique UNIQUE (key, user_id, user_group_id),
    CONSTRAINT custom_claims_check CHECK (user_id IS NOT NULL OR user_group_id IS NOT NULL)
);

CREATE TABLE oidc_clients
(
    id                                     text        NOT NULL PRIMARY KEY,
    created_at                             timestamptz,
    name                                   varchar(255),
    callback_urls                          jsonb,
    image_type                             varchar(10),
    created_by_id                          uuid REFERENCES users (id) ON DELETE SET NULL,
    is_public                              boolean DEFAULT false,
    pkce_enabled                           boolean DEFAULT false,
    logout_callback_urls                   jsonb,
    credentials                            jsonb,
    launch_url                             text,
    requires_reauthentication              boolean DEFAULT false NOT NULL,
    dark_image_type                        text,
    is_group_restricted                    boolean DEFAULT false NOT NULL,
    requires_pushed_authorization_requests boolean DEFAULT false NOT NULL,
    skip_consent                           boolean DEFAULT false NOT NULL,
    pkce_supported                         boolean DEFAULT false NOT NULL,
    description                            text    DEFAULT ''    NOT NULL,
    client_type                            text    DEFAULT 'standard' NOT NULL,
    metadata_expires_at                    timestamptz,
    metadata_grant_types                   jsonb,
    access_token_duration_minutes          bigint  DEFAULT 60    NOT NULL,
    refresh_token_duration_minutes         bigint  DEFAULT 43200 NOT NULL
);

CREATE TABLE oidc_clients_allowed_user_groups
(
    user_group_id  uuid NOT NULL REFERENCES user_groups (id) ON DELETE CASCADE,
    oidc_client_id text NOT NULL REFERENCES oidc_clients (id) ON DELETE CASCADE,
    PRIMARY KEY (oidc_client_id, user_group_id)
);

CREATE TABLE user_authorized_oidc_clients
(
    scope        jsonb       DEFAULT '[]'::jsonb NOT NULL,
    user_id      uuid                            NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id    text                            NOT NULL REFERENCES oidc_clients (id) ON DELETE CASCADE,
    last_used_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

CREATE TABLE api_keys
(
    id                    uuid         NOT NULL PRIMARY KEY,
    name                  varchar(255) NOT NULL,
    key                   varchar(255) NOT NULL UNIQUE,
    description           text,
    expires_at            timestamptz  NOT NULL,
    last_used_at          timestamptz,
    created_at            timestamptz,
    user_id               uuid REFERENCES users (id) ON DELETE CASCADE,
    expiration_email_sent boolean DEFAULT false NOT NULL
);

CREATE INDEX idx_api_keys_expires_at ON api_keys (expires_at);

-- Unlike SQLite, kv.value is nullable here (as upstream's).
CREATE TABLE kv
(
    key   text NOT NULL PRIMARY KEY,
    value text
);

CREATE TABLE audit_logs
(
    id         uuid         NOT NULL PRIMARY KEY,
    created_at timestamptz,
    event      varchar(100) NOT NULL,
    ip_address inet,
    data       jsonb        NOT NULL,
    user_id    uuid REFERENCES users (id) ON DELETE CASCADE,
    user_agent text,
    country    varchar(100),
    city       varchar(100)
);

CREATE INDEX idx_audit_logs_client_name ON audit_logs ((data ->> 'clientName'));
CREATE INDEX idx_audit_logs_country ON audit_logs (country);
CREATE INDEX idx_audit_logs_created_at ON audit_logs (created_at);
CREATE INDEX idx_audit_logs_event ON audit_logs (event);
CREATE INDEX idx_audit_logs_user_agent ON audit_logs (user_agent);
CREATE INDEX idx_audit_logs_user_id ON audit_logs (user_id);

CREATE TABLE storage
(
    path       text        NOT NULL PRIMARY KEY,
    data       bytea       NOT NULL,
    size       bigint      NOT NULL,
    mod_time   timestamptz NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE webauthn_credentials
(
    id               uuid         NOT NULL PRIMARY KEY,
    created_at       timestamptz,
    name             varchar(255) NOT NULL,
    credential_id    bytea        NOT NULL UNIQUE,
    public_key       bytea        NOT NULL,
    attestation_type varchar(20)  NOT NULL,
    transport        jsonb        NOT NULL,
    user_id          uuid REFERENCES users (id) ON DELETE CASCADE,
    backup_eligible  boolean DEFAULT false NOT NULL,
    backup_state     boolean DEFAULT false NOT NULL
);

CREATE TABLE webauthn_sessions
(
    id                uuid         NOT NULL PRIMARY KEY,
    created_at        timestamptz,
    challenge         varchar(255) NOT NULL UNIQUE,
    expires_at        timestamptz  NOT NULL,
    user_verification varchar(255) NOT NULL,
    credential_params jsonb DEFAULT '[]'::jsonb NOT NULL
);

CREATE INDEX idx_webauthn_sessions_expires_at ON webauthn_sessions (expires_at);

CREATE TABLE scim_service_providers
(
    id             uuid        NOT NULL PRIMARY KEY,
    created_at     timestamptz NOT NULL,
    endpoint       text        NOT NULL,
    token          text        NOT NULL,
    last_synced_at timestamptz,
    oidc_client_id text        NOT NULL REFERENCES oidc_clients (id) ON DELETE CASCADE
);

CREATE TABLE apis
(
    id                 uuid        NOT NULL PRIMARY KEY,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz,
    name               text        NOT NULL,
    audience           text        NOT NULL UNIQUE,
    allow_cimd_clients boolean DEFAULT false NOT NULL
);

CREATE TABLE api_permissions
(
    id                       uuid        NOT NULL PRIMARY KEY,
    created_at               timestamptz NOT NULL,
    api_id                   uuid        NOT NULL REFERENCES apis (id) ON DELETE CASCADE,
    key                      text        NOT NULL,
    name                     text        NOT NULL,
    description              text,
    allowed_for_cimd_clients boolean DEFAULT false NOT NULL,
    UNIQUE (api_id, key)
);

CREATE INDEX idx_api_permissions_api_id ON api_permissions (api_id);

CREATE TABLE oidc_clients_allowed_api_permissions
(
    oidc_client_id    text NOT NULL REFERENCES oidc_clients (id) ON DELETE CASCADE,
    api_permission_id uuid NOT NULL REFERENCES api_permissions (id) ON DELETE CASCADE,
    subject_type      text NOT NULL CHECK (subject_type IN ('user', 'client')),
    PRIMARY KEY (oidc_client_id, api_permission_id, subject_type)
);

CREATE TABLE oidc_clients_allowed_apis
(
    oidc_client_id text NOT NULL REFERENCES oidc_clients (id) ON DELETE CASCADE,
    api_id         uuid NOT NULL REFERENCES apis (id) ON DELETE CASCADE,
    subject_type   text NOT NULL CHECK (subject_type IN ('user', 'client')),
    PRIMARY KEY (oidc_client_id, api_id, subject_type)
);

-- The primary key leads with oidc_client_id; lookups by API (and the cascade from apis) need their own index.
CREATE INDEX idx_oidc_clients_allowed_apis_api_id ON oidc_clients_allowed_apis (api_id);

CREATE TABLE reauthentication_tokens
(
    id         text        NOT NULL PRIMARY KEY,
    created_at timestamptz DEFAULT CURRENT_TIMESTAMP NOT NULL,
    token      text        NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL,
    user_id    uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE
);

CREATE INDEX idx_reauthentication_tokens_expires_at ON reauthentication_tokens (expires_at);

CREATE TABLE oauth2_jtis
(
    id         uuid        NOT NULL PRIMARY KEY,
    created_at timestamptz NOT NULL,
    jti        text        NOT NULL UNIQUE,
    expires_at timestamptz NOT NULL
);

CREATE INDEX idx_oauth2_jtis_expires_at ON oauth2_jtis (expires_at);

CREATE TABLE interaction_sessions
(
    id                         uuid        NOT NULL PRIMARY KEY,
    created_at                 timestamptz NOT NULL,
    consent_required           boolean DEFAULT false NOT NULL,
    reauthentication_required  boolean DEFAULT false NOT NULL,
    authentication_required    boolean DEFAULT false NOT NULL,
    account_selection_required boolean DEFAULT false NOT NULL,
    scopes                     jsonb   DEFAULT '[]'::jsonb NOT NULL,
    client_id                  text        NOT NULL REFERENCES oidc_clients (id) ON DELETE CASCADE,
    user_id                    uuid REFERENCES users (id) ON DELETE CASCADE,
    requested_at               timestamptz NOT NULL,
    reauthenticated_at         timestamptz,
    parameters                 jsonb   DEFAULT '{}'::jsonb NOT NULL
);

CREATE INDEX idx_interaction_sessions_client_id ON interaction_sessions (client_id);
CREATE INDEX idx_interaction_sessions_user_id ON interaction_sessions (user_id);

CREATE TABLE oauth2_sessions
(
    id                     uuid        NOT NULL PRIMARY KEY,
    created_at             timestamptz NOT NULL,
    kind                   text        NOT NULL,
    key                    text        NOT NULL,
    request_id             text        NOT NULL,
    access_token_signature text    DEFAULT '' NOT NULL,
    active                 boolean DEFAULT true NOT NULL,
    request_data           jsonb       NOT NULL,
    expires_at             timestamptz,
    client_id              text        NOT NULL,
    CONSTRAINT fk_oauth2_sessions_client_id
        FOREIGN KEY (client_id) REFERENCES oidc_clients (id) ON DELETE CASCADE,
    -- A session always belongs to the client named inside its stored request.
    CONSTRAINT chk_oauth2_sessions_client_id CHECK (client_id = (request_data ->> 'client_id'))
);

CREATE UNIQUE INDEX idx_oauth2_sessions_kind_key ON oauth2_sessions (kind, key);
CREATE INDEX idx_oauth2_sessions_kind_request ON oauth2_sessions (kind, request_id);
CREATE INDEX idx_oauth2_sessions_expires_at ON oauth2_sessions (expires_at);
CREATE INDEX idx_oauth2_sessions_client_subject
    ON oauth2_sessions (client_id, (request_data #>> '{session,subject}'), kind, active);
