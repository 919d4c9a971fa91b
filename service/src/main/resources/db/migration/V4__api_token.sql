-- API tokens. Only the SHA-256 of a token is stored: tokens are 256 random bits, so a fast hash is
-- as good as a slow one against guessing, and a lookup by hash needs no per-request key stretching.
CREATE TABLE api_token (
    id           UUID PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    role         VARCHAR(10)  NOT NULL CHECK (role IN ('ADMIN', 'MEMBER', 'WORKER')),
    token_hash   VARCHAR(64)  NOT NULL UNIQUE,
    -- the first characters of the token, so a user can tell their tokens apart in a list
    prefix       VARCHAR(16)  NOT NULL,
    -- a WORKER token without a worker is an enrollment token: it can only register workers
    worker_id    UUID REFERENCES worker (id),
    -- set for tokens created from FRONTIER_ADMIN_TOKEN / FRONTIER_WORKER_TOKEN, replaced when the setting changes
    bootstrap    VARCHAR(20) UNIQUE,
    created_at   TIMESTAMPTZ  NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_token_created ON api_token (created_at);
