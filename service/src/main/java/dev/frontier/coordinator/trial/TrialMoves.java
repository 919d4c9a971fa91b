package dev.frontier.coordinator.trial;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import dev.frontier.coordinator.system.IllegalTransitionException;

/**
 * Trial state changes on the lease hot path as single guarded UPDATEs instead of load, check and
 * flush through JPA (which cost most of a lease cycle's database round trips). The guard is derived
 * from {@link TrialState}'s table, so the table stays the one authority: a row in any state the
 * table does not allow to move is simply not matched. The side effects mirror
 * {@link TrialEntity#moveTo}. Callers must not hold a loaded {@link TrialEntity} of the same trial
 * in the transaction (it would not see the change).
 */
@Repository
class TrialMoves {
    private final JdbcTemplate jdbc;

    TrialMoves(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Moves those of {@code ids} that are in {@code from} to {@code next}; returns how many moved. */
    int moveAll(Collection<UUID> ids, TrialState from, TrialState next) {
        if (!from.canMoveTo(next)) throw new IllegalTransitionException("trials", from, next);
        if (ids.isEmpty()) return 0;
        // one id (the usual claim) as "id = ?": with "= ANY(?)" PostgreSQL re-planned the statement on every call
        boolean one = ids.size() == 1;
        String sql = "UPDATE trial SET state = ?" + sideEffects(next) + " WHERE " + (one ? "id = ?" : "id = ANY(?)") + " AND state = ?";
        return jdbc.update(sql, ps -> {
            ps.setString(1, next.name());
            int i = 2;
            if (next == TrialState.BUILDING) ps.setTimestamp(i++, now());
            if (next.isFinal()) ps.setTimestamp(i++, now());
            if (one) ps.setObject(i++, ids.iterator().next());
            else ps.setArray(i++, ps.getConnection().createArrayOf("uuid", ids.toArray()));
            ps.setString(i, from.name());
        });
    }

    /**
     * Stores build metrics and moves the trial to BUILT. Returns false when the trial is already
     * final (cancelled meanwhile: its result is not kept); throws when it is in any other state
     * the table does not allow to move to BUILT.
     */
    boolean built(UUID id, String metrics, Double accuracy, Double validationAccuracy, Long sizeBytes, String artifactSha256,
            String checkpointSha256) {
        int n = jdbc.update("UPDATE trial SET state = 'BUILT', build_metrics = ?, accuracy = ?, validation_accuracy = ?, "
                + "size_bytes = ?, artifact_sha256 = ?, checkpoint_sha256 = ? WHERE id = ? AND state IN ("
                + sources(TrialState.BUILT) + ")", metrics, accuracy, validationAccuracy, sizeBytes, artifactSha256,
                checkpointSha256, id);
        return n == 1 || refused(id, TrialState.BUILT);
    }

    /** Moves one trial to {@code next} if the table allows it from its current state; false when final already. */
    /** How many measurements finish the trial (set when its measurements are queued). */
    void expectMeasures(UUID id, int n) {
        jdbc.update("UPDATE trial SET measures_expected = ? WHERE id = ?", n, id);
    }

    /** One expected measurement will not come (its runtime failed for good); returns the new expectation. */
    int dropExpectedMeasure(UUID id) {
        return jdbc.queryForObject("UPDATE trial SET measures_expected = GREATEST(0, COALESCE(measures_expected, 1) - 1) "
                + "WHERE id = ? RETURNING measures_expected", Integer.class, id);
    }

    Integer expectedMeasures(UUID id) {
        return jdbc.queryForObject("SELECT measures_expected FROM trial WHERE id = ?", Integer.class, id);
    }

    long measuredCount(UUID id) {
        return jdbc.queryForObject("SELECT count(*) FROM measurement WHERE trial_id = ?", Long.class, id);
    }

    boolean finish(UUID id, TrialState next) {
        int n = jdbc.update("UPDATE trial SET state = ?" + sideEffects(next) + " WHERE id = ? AND state IN (" + sources(next) + ")",
                ps -> {
                    ps.setString(1, next.name());
                    int i = 2;
                    if (next.isFinal()) ps.setTimestamp(i++, now());
                    ps.setObject(i, id);
                });
        return n == 1 || refused(id, next);
    }

    /** Why a guarded move matched no row: false when the trial is final, otherwise the table's refusal. */
    private boolean refused(UUID id, TrialState next) {
        List<String> state = jdbc.queryForList("SELECT state FROM trial WHERE id = ?", String.class, id);
        if (state.isEmpty()) throw new IllegalStateException("no trial " + id);
        TrialState current = TrialState.valueOf(state.get(0));
        if (current.isFinal()) return false;
        throw new IllegalTransitionException("trial " + id, current, next);
    }

    private static String sideEffects(TrialState next) {
        StringBuilder set = new StringBuilder();
        if (next == TrialState.BUILDING) set.append(", attempts = attempts + 1, started_at = COALESCE(started_at, ?)");
        if (next.isFinal()) set.append(", finished_at = ?");
        return set.toString();
    }

    private static String sources(TrialState next) {
        return TrialState.sourcesOf(next).stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }
}
