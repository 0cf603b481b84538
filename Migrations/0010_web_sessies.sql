-- The sign-in of the web pages: a session per sign-in, so that the browser's cookie never holds
-- the API token. Only the SHA-256 of the random session id is kept, with the token it stands
-- for and its two ends: absolute (8 hours after sign-in) and idle (30 minutes after its last
-- use, moved forward as it is used). Sign-out deletes the row; revoking the token deletes the
-- token's sessions in the same transaction. No personal data.
CREATE TABLE web_sessies (
    id_sha256 bytea PRIMARY KEY CHECK (length(id_sha256) = 32),
    token_id uuid NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    idle_expires_at timestamptz NOT NULL,
    CHECK (created_at < expires_at),
    CHECK (idle_expires_at <= expires_at)
);

CREATE INDEX web_sessies_token_idx ON web_sessies (token_id);
CREATE INDEX web_sessies_idle_expires_idx ON web_sessies (idle_expires_at);
