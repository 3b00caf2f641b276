-- When each passkey was last used, and its signature counter: Pocket ID keeps neither, and its table
-- (webauthn_credentials) stays exactly as Pocket ID defines it, so this lives beside it.
CREATE TABLE webauthn_credential_usage
(
    credential_id TEXT     NOT NULL PRIMARY KEY REFERENCES webauthn_credentials (id) ON DELETE CASCADE,
    last_used_at  DATETIME NOT NULL,
    sign_count    INTEGER  NOT NULL DEFAULT 0
);
