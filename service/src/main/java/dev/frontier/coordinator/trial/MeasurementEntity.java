package dev.frontier.coordinator.trial;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "measurement")
class MeasurementEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    private UUID trialId;
    private UUID deviceId;
    private String runtime;
    private boolean emulated;
    private double medianMs;
    @Column(columnDefinition = "text")
    private String metrics;
    private Instant measuredAt;

    protected MeasurementEntity() {
    }

    MeasurementEntity(UUID trialId, UUID deviceId, double medianMs, String metrics) {
        this.trialId = trialId;
        this.deviceId = deviceId;
        this.runtime = "frontier-jvm";
        this.medianMs = medianMs;
        this.metrics = metrics;
        this.measuredAt = Instant.now();
    }

    UUID getTrialId() { return trialId; }
    UUID getDeviceId() { return deviceId; }
    String getRuntime() { return runtime; }
    boolean isEmulated() { return emulated; }
    double getMedianMs() { return medianMs; }
    String getMetrics() { return metrics; }
    Instant getMeasuredAt() { return measuredAt; }
}
