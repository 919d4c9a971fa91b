package dev.frontier.coordinator.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * After the run: what the workers saw against what the database holds. A task must never have
 * been held by two workers at once, a completed task never handed out again, and every result the
 * coordinator acknowledged must be stored exactly once, in the row it belongs to.
 */
final class ScaleChecks {
    // the test's tasks: those of its jobs, and its model's PROFILE task (which belongs to no job)
    private static final String TASKS = "(t.job_id = ANY(?) OR t.model_id = ?)";
    private final Connection db;
    private final Array jobIds;
    private final UUID modelId;
    private final List<LeaseLog.Entry> log;
    private final List<String> failures = new ArrayList<>();

    ScaleChecks(Connection db, List<UUID> jobs, UUID modelId, List<LeaseLog.Entry> log) throws SQLException {
        this.db = db;
        this.jobIds = db.createArrayOf("uuid", jobs.toArray());
        this.modelId = modelId;
        // only the test's own work: on a shared database (the test suite's) other jobs' tasks may be leased too
        java.util.Set<Long> ours = new java.util.HashSet<>();
        query("SELECT t.id FROM task t WHERE " + TASKS, rs -> ours.add(rs.getLong(1)));
        this.log = log.stream().filter(e -> ours.contains(e.taskId())).toList();
    }

    /** Runs every check, prints one line each; returns the failures (empty when all hold). */
    List<String> run() throws SQLException {
        noTaskHeldTwiceByWorkers();
        noOverlappingLeasesInDatabase();
        everyAcknowledgedResultStoredOnce();
        everyTrialAccountedFor();
        return failures;
    }

    private void noTaskHeldTwiceByWorkers() {
        Map<Long, List<LeaseLog.Entry>> byTask = log.stream().collect(Collectors.groupingBy(LeaseLog.Entry::taskId));
        int overlaps = 0;
        int releasedAfterCompletion = 0;
        int reLeased = 0;
        for (List<LeaseLog.Entry> leases : byTask.values()) {
            leases.sort(Comparator.comparingLong(LeaseLog.Entry::grantedNanos));
            for (int i = 1; i < leases.size(); i++) {
                LeaseLog.Entry before = leases.get(i - 1);
                reLeased++;
                if (leases.get(i).grantedNanos() < before.endedNanos()) overlaps++;
                if (before.outcome() == LeaseLog.Outcome.COMPLETED) releasedAfterCompletion++;
            }
        }
        report(overlaps == 0 && releasedAfterCompletion == 0, "workers' view: no task held by two workers at once",
                "%d leases on %d tasks, %d handed out again after an abandoned lease expired; %d overlapping, %d after completion",
                log.size(), byTask.size(), reLeased, overlaps, releasedAfterCompletion);
    }

    private void noOverlappingLeasesInDatabase() throws SQLException {
        long active = count("SELECT count(*) FROM (SELECT l.task_id FROM lease l JOIN task t ON t.id = l.task_id "
                + "WHERE " + TASKS + " AND l.state = 'ACTIVE' GROUP BY l.task_id HAVING count(*) > 1) x");
        // every lease but a task's last must have ended (expired or failed, never completed) before the next began
        long overlapping = count("SELECT count(*) FROM (SELECT l.state, l.finished_at, "
                + "lead(l.created_at) OVER (PARTITION BY l.task_id ORDER BY l.created_at) AS next_created "
                + "FROM lease l JOIN task t ON t.id = l.task_id WHERE " + TASKS + ") x "
                + "WHERE next_created IS NOT NULL AND (state NOT IN ('EXPIRED', 'FAILED') OR finished_at IS NULL OR finished_at > next_created)");
        long leases = count("SELECT count(*) FROM lease l JOIN task t ON t.id = l.task_id WHERE " + TASKS);
        report(active == 0 && overlapping == 0, "database: no task with two active or overlapping leases",
                "%d lease rows; %d tasks with two ACTIVE leases, %d leases overlapping the next", leases, active, overlapping);
    }

    private void everyAcknowledgedResultStoredOnce() throws SQLException {
        Map<UUID, String[]> leaseRows = new HashMap<>();
        query("SELECT l.id, l.state, l.result FROM lease l JOIN task t ON t.id = l.task_id WHERE " + TASKS,
                rs -> leaseRows.put(rs.getObject(1, UUID.class), new String[] {rs.getString(2), rs.getString(3)}));
        Map<UUID, Object[]> trials = new HashMap<>();
        query("SELECT id, accuracy, build_metrics FROM trial WHERE job_id = ANY(?)",
                rs -> trials.put(rs.getObject(1, UUID.class), new Object[] {rs.getObject(2), rs.getString(3)}));
        Map<String, Object[]> measurements = new HashMap<>();
        query("SELECT m.trial_id, m.device_id, m.median_ms, m.metrics FROM measurement m JOIN trial t ON t.id = m.trial_id "
                + "WHERE t.job_id = ANY(?)", rs -> measurements.put(rs.getObject(1) + "/" + rs.getObject(2),
                        new Object[] {rs.getDouble(3), rs.getString(4)}));
        int acknowledged = 0;
        int missing = 0;
        int builds = 0;
        int measures = 0;
        Map<UUID, Integer> buildsPerTrial = new HashMap<>();
        for (LeaseLog.Entry e : log) {
            if (e.outcome() != LeaseLog.Outcome.COMPLETED && e.outcome() != LeaseLog.Outcome.COMPLETED_CANCELLED) continue;
            acknowledged++;
            String[] row = leaseRows.get(e.leaseId());
            boolean leaseKept = row != null && "COMPLETED".equals(row[0])
                    && (e.nonce() == null || "PROFILE".equals(e.kind()) || row[1].contains(e.nonce()));
            boolean applied = true;
            if (e.outcome() == LeaseLog.Outcome.COMPLETED && "BUILD".equals(e.kind())) {
                builds++;
                buildsPerTrial.merge(e.trialId(), 1, Integer::sum);
                Object[] t = trials.get(e.trialId());
                applied = t != null && Objects.equals(t[0], e.reported()) && String.valueOf(t[1]).contains(e.nonce());
            } else if (e.outcome() == LeaseLog.Outcome.COMPLETED && "MEASURE".equals(e.kind())) {
                measures++;
                Object[] m = measurements.get(e.trialId() + "/" + e.deviceId());
                applied = m != null && (double) m[0] == e.reported() && String.valueOf(m[1]).contains(e.nonce());
            }
            if (!leaseKept || !applied) missing++;
        }
        long storedBuilds = trials.values().stream().filter(t -> t[1] != null).count();
        long twice = buildsPerTrial.values().stream().filter(n -> n > 1).count();
        boolean once = storedBuilds == builds && measurements.size() == measures && twice == 0;
        report(missing == 0 && once, "no result lost, none stored twice",
                "%d completions acknowledged: %d BUILD -> %d trials with build results, %d MEASURE -> %d measurement rows; "
                        + "%d not stored as reported, %d trials built twice",
                acknowledged, builds, storedBuilds, measures, measurements.size(), missing, twice);
    }

    private void everyTrialAccountedFor() throws SQLException {
        Map<String, Long> states = new HashMap<>();
        query("SELECT state, count(*) FROM trial WHERE job_id = ANY(?) GROUP BY state", rs -> states.put(rs.getString(1), rs.getLong(2)));
        long done = states.getOrDefault("DONE", 0L);
        long unfinished = states.entrySet().stream().filter(s -> !List.of("DONE", "CANCELLED", "FAILED").contains(s.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        // DONE means built and measured on every device of its job, no more, no less
        long doneIncomplete = count("SELECT count(*) FROM trial t WHERE t.job_id = ANY(?) AND t.state = 'DONE' AND (t.build_metrics IS NULL "
                + "OR (SELECT count(*) FROM measurement m WHERE m.trial_id = t.id) <> (SELECT count(*) FROM job_device d WHERE d.job_id = t.job_id))");
        report(unfinished == 0 && doneIncomplete == 0, "every trial accounted for",
                "trials by state %s (jobs cancelled at the end of each step); %d of the %d DONE without their build result "
                        + "or a measurement on each of their job's devices", states, doneIncomplete, done);
    }

    private void report(boolean ok, String what, String format, Object... args) {
        String detail = String.format(format, args);
        System.out.printf("%s  %s: %s%n", ok ? "PASS" : "FAIL", what, detail);
        if (!ok) failures.add(what + ": " + detail);
    }

    private interface Row {
        void accept(ResultSet rs) throws SQLException;
    }

    private void query(String sql, Row row) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            ps.setArray(1, jobIds);
            if (sql.contains(TASKS)) ps.setObject(2, modelId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) row.accept(rs);
            }
        }
    }

    private long count(String sql) throws SQLException {
        long[] n = new long[1];
        query(sql, rs -> n[0] = rs.getLong(1));
        return n[0];
    }
}
