package dev.frontier.coordinator.gate;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "gate")
class GateEntity {
    @Id
    private UUID id;
    private UUID jobId;
    private UUID modelId;
    private String modelName;
    private UUID deviceId;
    /** the runtime judged: the job's first */
    private String runtime = "frontier-jvm";
    private double latencyTargetMs;
    private double maxAccuracyDrop;
    private boolean regression;
    private double accuracyTolerance;
    private double latencyTolerance;
    private String verdict;
    private UUID chosenTrialId;
    private Double chosenAccuracy;
    private Double chosenLatencyMs;
    private UUID comparedGateId;
    @Column(columnDefinition = "text")
    private String checks;
    private Instant createdAt;
    private Instant finishedAt;

    protected GateEntity() {
    }

    GateEntity(UUID jobId, UUID modelId, String modelName, UUID deviceId, double latencyTargetMs, double maxAccuracyDrop,
               boolean regression, double accuracyTolerance, double latencyTolerance) {
        this.id = UUID.randomUUID();
        this.jobId = jobId;
        this.modelId = modelId;
        this.modelName = modelName;
        this.deviceId = deviceId;
        this.latencyTargetMs = latencyTargetMs;
        this.maxAccuracyDrop = maxAccuracyDrop;
        this.regression = regression;
        this.accuracyTolerance = accuracyTolerance;
        this.latencyTolerance = latencyTolerance;
        this.createdAt = Instant.now();
    }

    /** Records the verdict; a finished gate never changes again. */
    void finish(GateVerdicts.Verdict v, String checksJson) {
        if (verdict != null) {
            return;
        }
        this.verdict = v.verdict().name();
        this.chosenTrialId = v.chosenTrialId();
        this.chosenAccuracy = v.chosenAccuracy();
        this.chosenLatencyMs = v.chosenLatencyMs();
        this.comparedGateId = v.comparedGateId();
        this.checks = checksJson;
        this.finishedAt = Instant.now();
    }

    UUID getId() { return id; }
    UUID getJobId() { return jobId; }
    UUID getModelId() { return modelId; }
    String getModelName() { return modelName; }
    UUID getDeviceId() { return deviceId; }
    String getRuntime() { return runtime; }

    void judge(String runtime) {
        this.runtime = runtime;
    }
    double getLatencyTargetMs() { return latencyTargetMs; }
    double getMaxAccuracyDrop() { return maxAccuracyDrop; }
    boolean isRegression() { return regression; }
    double getAccuracyTolerance() { return accuracyTolerance; }
    double getLatencyTolerance() { return latencyTolerance; }
    String getVerdict() { return verdict; }
    UUID getChosenTrialId() { return chosenTrialId; }
    Double getChosenAccuracy() { return chosenAccuracy; }
    Double getChosenLatencyMs() { return chosenLatencyMs; }
    UUID getComparedGateId() { return comparedGateId; }
    String getChecks() { return checks; }
    Instant getCreatedAt() { return createdAt; }
    Instant getFinishedAt() { return finishedAt; }
}
