package dev.frontier.coordinator.lease;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The rows a heartbeat or a completion touches, in plain SQL: the lease locked together with its
 * task in one round trip, and the lease and task changes of a report in one statement. These two
 * reports are what every worker sends all the time; through JPA they cost a load per row and a
 * flush per change. Rarer reports (fail, expiry) keep using the entities.
 */
@Repository
class LeaseReports {
    private static final String LOCK = """
            SELECT l.id, l.worker_id, l.state, l.expires_at, l.result, l.artifact_sha256,
                   t.id AS task_id, t.kind, t.state AS task_state, t.job_id, t.trial_id, t.model_id, t.device_id,
                   t.attempts, t.runtime
            FROM lease l JOIN task t ON t.id = l.task_id
            WHERE l.id = ?
            FOR UPDATE OF l
            """;
    // the task moves only while it still belongs to this lease: a job cancelled meanwhile keeps its task CANCELLED
    private static final String COMPLETE = """
            WITH lease_done AS (
                UPDATE lease SET state = 'COMPLETED', result = ?, artifact_sha256 = ?, progress = 1.0, finished_at = ?
                WHERE id = ?
            )
            UPDATE task SET state = 'DONE', lease_expires_at = NULL, updated_at = ?
            WHERE id = ? AND state = 'LEASED' AND lease_id = ?
            """;
    private static final String HEARTBEAT = """
            WITH lease_extended AS (
                UPDATE lease SET expires_at = ?, progress = COALESCE(?, progress), message = COALESCE(?, message)
                WHERE id = ?
            )
            UPDATE task SET lease_expires_at = ?, updated_at = ? WHERE id = ?
            """;

    private final JdbcTemplate jdbc;

    LeaseReports(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A lease row, locked for the rest of the transaction, with its task as it is now. */
    record LockedLease(UUID id, UUID workerId, LeaseState state, Instant expiresAt, String result, String artifactSha256,
            TaskRecord task, TaskState taskState) {

        boolean expired(Instant now) {
            return LeaseReports.expired(state, expiresAt, now);
        }
    }

    /** Expired: marked so by the reaper, or still active past its expiry (the reaper has not come by yet). */
    static boolean expired(LeaseState state, Instant expiresAt, Instant now) {
        return state == LeaseState.EXPIRED || (state == LeaseState.ACTIVE && expiresAt.isBefore(now));
    }

    /** Row lock: a report, a heartbeat and the reaper never act on one lease at the same time. */
    Optional<LockedLease> lock(UUID leaseId) {
        List<LockedLease> rows = jdbc.query(LOCK, LeaseReports::row, leaseId);
        return rows.stream().findFirst();
    }

    /** Completes the lease and, if it still holds its task, the task; returns whether the task moved to DONE. */
    boolean complete(LockedLease lease, String resultJson, String artifactSha256) {
        Timestamp now = Timestamp.from(Instant.now());
        // typed setters: a null through JdbcTemplate's varargs would ask the driver for parameter metadata (a round trip)
        return jdbc.update(COMPLETE, ps -> {
            ps.setString(1, resultJson);
            ps.setString(2, artifactSha256);
            ps.setTimestamp(3, now);
            ps.setObject(4, lease.id());
            ps.setTimestamp(5, now);
            ps.setLong(6, lease.task().id());
            ps.setObject(7, lease.id());
        }) == 1;
    }

    void heartbeat(LockedLease lease, Instant expiresAt, Double progress, String message) {
        Timestamp expires = Timestamp.from(expiresAt);
        jdbc.update(HEARTBEAT, ps -> {
            ps.setTimestamp(1, expires);
            if (progress == null) ps.setNull(2, Types.DOUBLE);
            else ps.setDouble(2, progress);
            ps.setString(3, message);
            ps.setObject(4, lease.id());
            ps.setTimestamp(5, expires);
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            ps.setLong(7, lease.task().id());
        });
    }

    TaskState taskState(long taskId) {
        return TaskState.valueOf(jdbc.queryForObject("SELECT state FROM task WHERE id = ?", String.class, taskId));
    }

    private static LockedLease row(ResultSet rs, int i) throws SQLException {
        TaskRecord task = new TaskRecord(rs.getLong("task_id"), TaskKind.valueOf(rs.getString("kind")),
                rs.getObject("job_id", UUID.class), rs.getObject("trial_id", UUID.class), rs.getObject("model_id", UUID.class),
                rs.getObject("device_id", UUID.class), rs.getInt("attempts"), rs.getString("runtime"));
        return new LockedLease(rs.getObject("id", UUID.class), rs.getObject("worker_id", UUID.class),
                LeaseState.valueOf(rs.getString("state")), rs.getTimestamp("expires_at").toInstant(), rs.getString("result"),
                rs.getString("artifact_sha256"), task, TaskState.valueOf(rs.getString("task_state")));
    }
}
