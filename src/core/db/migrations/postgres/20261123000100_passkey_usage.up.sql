-- When each passkey was last used, and its signature counter: Pocket ID keeps neither, and its table
-- (webauthn_credentials) stays exactly as Pocket ID defines it, so this lives beside it.
CREATE TABLE webauthn_credential_usage
(
    credential_id uuid        NOT NULL PRIMARY KEY REFERENCES webauthn_credentials (id) ON DELETE CASCADE,
    last_used_at  timestamptz NOT NULL,
    sign_count    bigint      NOT NULL DEFAULT 0
);
