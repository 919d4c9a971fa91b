-- CI gate runs: a job plus what a pipeline needs to judge it. The verdict is stored once the job
-- has finished, so "the last passing gate of this model on this device" is one indexed query.
create table gate (
    id                 uuid primary key,
    job_id             uuid not null references job (id),
    model_id           uuid not null,
    model_name         varchar(200) not null,
    device_id          uuid not null,
    latency_target_ms  double precision not null,
    max_accuracy_drop  double precision not null,
    regression         boolean not null,
    accuracy_tolerance double precision not null,
    latency_tolerance  double precision not null,
    verdict            varchar(10),
    chosen_trial_id    uuid,
    chosen_accuracy    double precision,
    chosen_latency_ms  double precision,
    compared_gate_id   uuid,
    checks             text,
    created_at         timestamptz not null,
    finished_at        timestamptz
);
create index gate_last_pass on gate (model_name, device_id, finished_at desc) where verdict = 'PASS';
create index gate_created on gate (created_at desc);
