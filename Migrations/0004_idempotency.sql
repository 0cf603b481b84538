-- Idempotency-Key: the first answer to a POST or PUT, per token and key, replayed for a
-- repeat of the same request. Rows older than a day are removed when new ones are stored.
CREATE TABLE idempotency_keys (
    token_id text NOT NULL,
    key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_sha256 bytea NOT NULL CHECK (length(request_sha256) = 32),
    status integer CHECK (status BETWEEN 100 AND 599),
    response_body bytea,
    response_headers jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (token_id, key)
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
