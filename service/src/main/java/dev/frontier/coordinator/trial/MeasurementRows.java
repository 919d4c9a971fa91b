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
    // the unique (trial, device) constraint keeps a repeated report from storing a second row
    private static final String STORE = """
            WITH inserted AS (
                INSERT INTO measurement (trial_id, device_id, median_ms, metrics, measured_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (trial_id, device_id) DO NOTHING
                RETURNING 1
            )
            SELECT (SELECT count(*) FROM measurement WHERE trial_id = ?) + (SELECT count(*) FROM inserted)
            """;
    private final JdbcTemplate jdbc;

    MeasurementRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the device's latency unless it is stored already; returns how many devices have measured the trial. */
    long store(UUID trialId, UUID deviceId, double medianMs, String metricsJson) {
        return jdbc.queryForObject(STORE, Long.class, trialId, deviceId, medianMs, metricsJson, Timestamp.from(Instant.now()), trialId);
    }
}
