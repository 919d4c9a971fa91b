package dev.frontier.coordinator.trial;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The measurement a MEASURE report stores, in one statement: every measuring agent sends one per
 * task, and the JPA way (exists?, insert, count) cost three round trips plus an entity each.
 */
@Repository
class MeasurementRows {
    // the unique (trial, device, runtime) constraint keeps a repeated report from storing a second row
    private static final String STORE = """
            WITH inserted AS (
                INSERT INTO measurement (trial_id, device_id, runtime, emulated, median_ms, metrics, measured_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (trial_id, device_id, runtime) DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM measurement WHERE trial_id = ?) + (SELECT count(*) FROM inserted)
            """;
    private final JdbcTemplate jdbc;

    MeasurementRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the latency unless it is stored already; returns how many (device, runtime) pairs have measured the trial. */
    long store(UUID trialId, UUID deviceId, String runtime, boolean emulated, double medianMs, String metricsJson) {
        return jdbc.queryForObject(STORE, Long.class, trialId, deviceId, runtime, emulated, medianMs, metricsJson,
                Timestamp.from(Instant.now()), trialId);
    }
}
