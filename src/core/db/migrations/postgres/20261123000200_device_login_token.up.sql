-- The requesting browser's secret of a device-login request (its cookie), as a SHA-256 hex digest; the request is
-- found by code_hash, the digest of its "P…" code.
ALTER TABLE device_login_requests ADD COLUMN token_hash text NOT NULL DEFAULT '';
