package dev.frontier.coordinator.lease;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.EntityManager;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The claim: one statement that picks queued tasks with FOR UPDATE SKIP LOCKED (so concurrent
 * workers never wait on, nor get, the same row), marks them leased, records the leases and
 * returns everything the worker needs, in a single round trip.
 */
@Repository
class TaskQueue {
    private static final String CLAIM = """
            WITH picked AS (
                SELECT id FROM task
                WHERE state = 'QUEUED' AND kind = ? AND %s
                ORDER BY kind, device_id, id
                LIMIT %d
                FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE task t
                SET state = 'LEASED', attempts = t.attempts + 1, lease_id = gen_random_uuid(),
                    worker_id = ?, lease_expires_at = ?, updated_at = now()
                FROM picked WHERE t.id = picked.id
                RETURNING t.id, t.kind, t.job_id, t.trial_id, t.model_id, t.device_id, t.attempts,
                          t.lease_id, t.lease_expires_at, t.runtime, t.artifact_sha256
            ), recorded AS (
                INSERT INTO lease (id, task_id, worker_id, state, attempt, expires_at, created_at)
                SELECT lease_id, id, ?, 'ACTIVE', attempts, lease_expires_at, now() FROM claimed
            )
            SELECT c.id, c.kind, c.job_id, c.trial_id, c.device_id, c.attempts, c.lease_id, c.lease_expires_at,
                   m.id AS model_id, m.sha256 AS model_sha, m.dataset_name, d.kind AS dataset_kind, d.sha256 AS dataset_sha,
                   tr.config, tr.fidelity, COALESCE(c.artifact_sha256, tr.artifact_sha256) AS artifact_sha256,
                   COALESCE(c.runtime, 'frontier-jvm') AS runtime,
                   j.validation_fraction, j.validation_seed, j.bn_recalibration, j.distillation,
                   tr.polish, tr.inherited_from, tr.inherit_sha256, tr.inherit_fidelity
            FROM claimed c
            LEFT JOIN job j ON j.id = c.job_id
            LEFT JOIN trial tr ON tr.id = c.trial_id
            LEFT JOIN model m ON m.id = COALESCE(c.model_id, j.model_id)
            LEFT JOIN dataset d ON d.name = m.dataset_name
            ORDER BY c.id
            """;
    // ORDER BY kind, device_id, id is ORDER BY id here (both are fixed by the WHERE clause), spelled as the columns of
    // task_claim_idx: with "device_id IS NULL" PostgreSQL does not treat the index as ordered by id and would read (and
    // sort) the whole queue, or walk the primary key through the whole history, before the LIMIT applies
    private static final String ANY_DEVICE = "device_id IS NULL";
    // measurements are exclusive per device: nothing is handed out while one is running there
    private static final String ON_DEVICE = "device_id = ? AND NOT EXISTS (SELECT 1 FROM task x "
            + "WHERE x.state = 'LEASED' AND x.kind = 'MEASURE' AND x.device_id = ?)";
    // a worker that measures with some runtimes only (e.g. an ONNX Runtime client beside a Java agent)
    private static final String ON_DEVICE_WITH = ON_DEVICE + " AND COALESCE(runtime, 'frontier-jvm') = ANY (?)";

    private final JdbcTemplate jdbc;
    private final EntityManager entities;

    TaskQueue(JdbcTemplate jdbc, EntityManager entities) {
        this.jdbc = jdbc;
        this.entities = entities;
    }

    record Claimed(long taskId, TaskKind kind, UUID jobId, UUID trialId, UUID deviceId, int attempt, UUID leaseId,
            Instant expiresAt, UUID modelId, String modelSha256, String datasetName, String datasetKind,
            String datasetSha256, String config, Double fidelity, String artifactSha256, Build build, String runtime) {
    }

    /**
     * What a BUILD needs beyond the trial's config: the job's validation carve (fraction null: the
     * dataset's own split), its recovery switches, and the parent to inherit from (seq null: none).
     * A polish trial always distils.
     */
    record Build(Double validationFraction, long validationSeed, boolean bnRecalibration, boolean distillation,
            Integer inheritSeq, String inheritSha256, double inheritFidelity) {
    }

    /** {@code runtimes}: for MEASURE, the runtimes the worker measures with (null: any). */
    List<Claimed> claim(TaskKind kind, UUID deviceId, List<String> runtimes, UUID workerId, int max, Instant expiresAt) {
        Timestamp expires = Timestamp.from(expiresAt);
        if (kind == TaskKind.MEASURE) {
            // serialise measurement claims per device so two agents of one device cannot both start one
            jdbc.queryForObject("SELECT pg_advisory_xact_lock(hashtext(?))::text", String.class, "measure:" + deviceId);
            if (runtimes != null) {
                return jdbc.query(con -> {
                    var ps = con.prepareStatement(CLAIM.formatted(ON_DEVICE_WITH, 1));
                    ps.setString(1, kind.name());
                    ps.setObject(2, deviceId);
                    ps.setObject(3, deviceId);
                    ps.setArray(4, con.createArrayOf("varchar", runtimes.toArray()));
                    ps.setObject(5, workerId);
                    ps.setTimestamp(6, expires);
                    ps.setObject(7, workerId);
                    return ps;
                }, this::row);
            }
            return jdbc.query(CLAIM.formatted(ON_DEVICE, 1), this::row, kind.name(), deviceId, deviceId, workerId, expires, workerId);
        }
        return jdbc.query(CLAIM.formatted(ANY_DEVICE, Math.max(1, max)), this::row, kind.name(), workerId, expires, workerId);
    }

    /** Queues one MEASURE task per slot for one trial, in one statement. */
    void enqueueMeasures(UUID jobId, UUID trialId, List<MeasureSlot> slots, int maxAttempts) {
        entities.flush();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("INSERT INTO task (kind, state, job_id, trial_id, device_id, runtime, artifact_sha256, attempts, max_attempts, "
                + "created_at, updated_at) SELECT 'MEASURE', 'QUEUED', ?, ?, x.device_id, x.runtime, x.sha, 0, ?, ?, ? "
                + "FROM unnest(?, ?, ?) AS x(device_id, runtime, sha)", ps -> {
                    ps.setObject(1, jobId);
                    ps.setObject(2, trialId);
                    ps.setInt(3, maxAttempts);
                    ps.setTimestamp(4, now);
                    ps.setTimestamp(5, now);
                    ps.setArray(6, ps.getConnection().createArrayOf("uuid", slots.stream().map(MeasureSlot::deviceId).toArray()));
                    ps.setArray(7, ps.getConnection().createArrayOf("varchar", slots.stream().map(MeasureSlot::runtime).toArray()));
                    ps.setArray(8, ps.getConnection().createArrayOf("varchar", slots.stream().map(MeasureSlot::artifactSha256).toArray()));
                });
    }

    /** Queues tasks of one kind for one job in one statement: the i-th task is for trialIds[i] on deviceIds[i] (null: any). */
    void enqueue(TaskKind kind, UUID jobId, List<UUID> trialIds, List<UUID> deviceIds, int maxAttempts) {
        // the trials may have been saved through JPA in this transaction and not written yet: the tasks refer to them
        entities.flush();
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("INSERT INTO task (kind, state, job_id, trial_id, device_id, attempts, max_attempts, created_at, updated_at) "
                + "SELECT ?, 'QUEUED', ?, x.trial_id, x.device_id, 0, ?, ?, ? FROM unnest(?, ?) AS x(trial_id, device_id)", ps -> {
                    ps.setString(1, kind.name());
                    ps.setObject(2, jobId);
                    ps.setInt(3, maxAttempts);
                    ps.setTimestamp(4, now);
                    ps.setTimestamp(5, now);
                    ps.setArray(6, ps.getConnection().createArrayOf("uuid", trialIds.toArray()));
                    ps.setArray(7, ps.getConnection().createArrayOf("uuid", deviceIds.toArray()));
                });
    }

    private Claimed row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        double fidelity = rs.getDouble("fidelity");
        boolean hasFidelity = !rs.wasNull();
        double fraction = rs.getDouble("validation_fraction");
        Double validationFraction = rs.wasNull() ? null : fraction;
        int inherit = rs.getInt("inherited_from");
        Integer inheritSeq = rs.wasNull() ? null : inherit;
        Build build = new Build(validationFraction, rs.getLong("validation_seed"), rs.getBoolean("bn_recalibration"),
                rs.getBoolean("distillation") || rs.getBoolean("polish"), inheritSeq, rs.getString("inherit_sha256"),
                rs.getDouble("inherit_fidelity"));
        return new Claimed(rs.getLong("id"), TaskKind.valueOf(rs.getString("kind")), rs.getObject("job_id", UUID.class),
                rs.getObject("trial_id", UUID.class), rs.getObject("device_id", UUID.class), rs.getInt("attempts"),
                rs.getObject("lease_id", UUID.class), rs.getTimestamp("lease_expires_at").toInstant(),
                rs.getObject("model_id", UUID.class), rs.getString("model_sha"), rs.getString("dataset_name"),
                rs.getString("dataset_kind"), rs.getString("dataset_sha"), rs.getString("config"),
                hasFidelity ? fidelity : null, rs.getString("artifact_sha256"), build, rs.getString("runtime"));
    }
}
