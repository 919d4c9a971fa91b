-- Frontier coordinator schema. Changed only by new migrations (ddl-auto: validate).

CREATE TABLE artifact (
    sha256       VARCHAR(64) PRIMARY KEY,
    content      BYTEA        NOT NULL,
    size_bytes   BIGINT       NOT NULL,
    content_type VARCHAR(100) NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE TABLE device (
    id                UUID PRIMARY KEY,
    name              VARCHAR(100) NOT NULL,
    labels            TEXT         NOT NULL,
    hardware          TEXT,
    last_heartbeat_at TIMESTAMPTZ,
    created_at        TIMESTAMPTZ  NOT NULL
);

CREATE TABLE dataset (
    id         UUID PRIMARY KEY,
    name       VARCHAR(100) NOT NULL UNIQUE,
    kind       VARCHAR(50)  NOT NULL,
    splits     TEXT         NOT NULL,
    sha256     VARCHAR(64),
    size_bytes BIGINT,
    created_at TIMESTAMPTZ  NOT NULL
);

CREATE TABLE model (
    id           UUID PRIMARY KEY,
    name         VARCHAR(200) NOT NULL,
    format       VARCHAR(50)  NOT NULL,
    input_shape  VARCHAR(200) NOT NULL,
    dataset_name VARCHAR(100),
    sha256       VARCHAR(64)     NOT NULL,
    size_bytes   BIGINT       NOT NULL,
    profile      TEXT,
    profiled_at  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ  NOT NULL
);

CREATE TABLE worker (
    id           UUID PRIMARY KEY,
    name         VARCHAR(100) NOT NULL,
    device_id    UUID REFERENCES device (id),
    roles        VARCHAR(100) NOT NULL,
    last_seen_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ  NOT NULL
);

CREATE TABLE job (
    id                UUID PRIMARY KEY,
    model_id          UUID             NOT NULL REFERENCES model (id),
    state             VARCHAR(20)      NOT NULL,
    latency_target_ms DOUBLE PRECISION NOT NULL,
    max_accuracy_drop DOUBLE PRECISION NOT NULL,
    objectives        VARCHAR(100)     NOT NULL,
    search_space      TEXT,
    strategy          VARCHAR(30)      NOT NULL,
    seed              BIGINT           NOT NULL,
    max_trials        INT              NOT NULL,
    max_wall_seconds  BIGINT,
    fidelity_min      DOUBLE PRECISION NOT NULL,
    fidelity_max      DOUBLE PRECISION NOT NULL,
    trials_proposed   INT              NOT NULL DEFAULT 0,
    error             TEXT,
    created_at        TIMESTAMPTZ      NOT NULL,
    started_at        TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ
);
-- the search step scans active jobs; listing filters by state, newest first
CREATE INDEX job_state_created_idx ON job (state, created_at DESC);
CREATE INDEX job_created_idx ON job (created_at DESC);
CREATE INDEX job_model_state_idx ON job (model_id, state);

CREATE TABLE job_device (
    job_id    UUID NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    device_id UUID NOT NULL REFERENCES device (id),
    PRIMARY KEY (job_id, device_id)
);

CREATE TABLE trial (
    id              UUID PRIMARY KEY,
    job_id          UUID             NOT NULL REFERENCES job (id),
    seq             INT              NOT NULL,
    config          TEXT             NOT NULL,
    fidelity        DOUBLE PRECISION NOT NULL,
    state           VARCHAR(20)      NOT NULL,
    attempts        INT              NOT NULL DEFAULT 0,
    accuracy        DOUBLE PRECISION,
    size_bytes      BIGINT,
    build_metrics   TEXT,
    artifact_sha256 VARCHAR(64),
    error           TEXT,
    error_kind      VARCHAR(100),
    created_at      TIMESTAMPTZ      NOT NULL,
    started_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    CONSTRAINT trial_job_seq_uq UNIQUE (job_id, seq)
);
-- progress counts and in-flight checks: trials by job and state
CREATE INDEX trial_job_state_idx ON trial (job_id, state);

CREATE TABLE measurement (
    id          BIGSERIAL PRIMARY KEY,
    trial_id    UUID             NOT NULL REFERENCES trial (id),
    device_id   UUID             NOT NULL REFERENCES device (id),
    median_ms   DOUBLE PRECISION NOT NULL,
    metrics     TEXT             NOT NULL,
    measured_at TIMESTAMPTZ      NOT NULL,
    CONSTRAINT measurement_trial_device_uq UNIQUE (trial_id, device_id)
);
CREATE INDEX measurement_device_idx ON measurement (device_id);

CREATE TABLE task (
    id               BIGSERIAL PRIMARY KEY,
    kind             VARCHAR(10) NOT NULL,
    state            VARCHAR(10) NOT NULL,
    job_id           UUID REFERENCES job (id),
    trial_id         UUID REFERENCES trial (id),
    model_id         UUID REFERENCES model (id),
    device_id        UUID REFERENCES device (id),
    attempts         INT         NOT NULL DEFAULT 0,
    max_attempts     INT         NOT NULL,
    lease_id         UUID,
    worker_id        UUID,
    lease_expires_at TIMESTAMPTZ,
    last_error       TEXT,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
-- the claim query: queued tasks of one kind, for no device (PROFILE/BUILD) or one device
-- (MEASURE), oldest first. Partial so the index stays as small as the queue, not the history.
CREATE INDEX task_claim_idx ON task (kind, device_id, id) WHERE state = 'QUEUED';
CREATE INDEX task_trial_idx ON task (trial_id);
CREATE INDEX task_job_state_idx ON task (job_id, state);
CREATE INDEX task_model_idx ON task (model_id) WHERE model_id IS NOT NULL;
-- "is something already measuring on this device": measurements are exclusive per device
CREATE INDEX task_leased_device_idx ON task (device_id) WHERE state = 'LEASED';

CREATE TABLE lease (
    id              UUID PRIMARY KEY,
    task_id         BIGINT      NOT NULL REFERENCES task (id),
    worker_id       UUID        NOT NULL,
    state           VARCHAR(10) NOT NULL,
    attempt         INT         NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    progress        DOUBLE PRECISION,
    message         TEXT,
    result          TEXT,
    artifact_sha256 VARCHAR(64),
    created_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ
);
-- the reaper: active leases by expiry
CREATE INDEX lease_active_expiry_idx ON lease (expires_at) WHERE state = 'ACTIVE';
CREATE INDEX lease_task_idx ON lease (task_id);
