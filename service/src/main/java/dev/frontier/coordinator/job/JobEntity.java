package dev.frontier.coordinator.job;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;

import dev.frontier.coordinator.system.IllegalTransitionException;

@Entity
@Table(name = "job")
class JobEntity {
    @Id
    private UUID id;
    private UUID modelId;
    @Enumerated(EnumType.STRING)
    private JobState state;
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "job_device", joinColumns = @JoinColumn(name = "job_id"))
    @Column(name = "device_id")
    private Set<UUID> deviceIds = new LinkedHashSet<>();
    private double latencyTargetMs;
    private double maxAccuracyDrop;
    private String objectives;
    @Column(columnDefinition = "text")
    private String searchSpace;
    private String strategy;
    private long seed;
    private int maxTrials;
    private Long maxWallSeconds;
    private double fidelityMin;
    private double fidelityMax;
    private int trialsProposed;
    private int patience;
    private boolean warmStart;
    private String stopReason;
    private Double validationFraction;
    private Long validationSeed;
    private Double fidelityFinal;
    private int polishTop;
    private boolean polishStarted;
    private boolean bnRecalibration = true;
    private boolean distillation;
    private boolean inheritWeights = true;
    private Double usefulnessDrop;
    private String purpose = "SEARCH";
    /** comma-separated runtime names; the first steers the search */
    private String runtimes = "frontier-jvm";
    @Column(columnDefinition = "text")
    private String error;
    private Instant createdAt;
    private Instant startedAt;
    private Instant finishedAt;

    protected JobEntity() {
    }

    JobEntity(UUID modelId, Set<UUID> deviceIds, double latencyTargetMs, double maxAccuracyDrop, String objectives,
            String searchSpace, String strategy, long seed, int maxTrials, Long maxWallSeconds, double fidelityMin, double fidelityMax) {
        this.id = UUID.randomUUID();
        this.modelId = modelId;
        this.state = JobState.PROFILING;
        this.deviceIds.addAll(deviceIds);
        this.latencyTargetMs = latencyTargetMs;
        this.maxAccuracyDrop = maxAccuracyDrop;
        this.objectives = objectives;
        this.searchSpace = searchSpace;
        this.strategy = strategy;
        this.seed = seed;
        this.maxTrials = maxTrials;
        this.maxWallSeconds = maxWallSeconds;
        this.fidelityMin = fidelityMin;
        this.fidelityMax = fidelityMax;
        this.createdAt = Instant.now();
    }

    void moveTo(JobState next) {
        if (!state.canMoveTo(next)) throw new IllegalTransitionException("job " + id, state, next);
        state = next;
        if (next == JobState.RUNNING) startedAt = Instant.now();
        if (next.isFinal()) finishedAt = Instant.now();
    }

    void fail(String reason) {
        moveTo(JobState.FAILED);
        error = reason;
    }

    void settings(int patience, boolean warmStart) {
        this.patience = patience;
        this.warmStart = warmStart;
    }

    /** How selection data is split off and what each build does to recover accuracy; see openapi JobRequest. */
    void recovery(Double validationFraction, Long validationSeed, boolean bnRecalibration, boolean distillation,
            boolean inheritWeights, Double usefulnessDrop) {
        this.validationFraction = validationFraction;
        this.validationSeed = validationSeed;
        this.bnRecalibration = bnRecalibration;
        this.distillation = distillation;
        this.inheritWeights = inheritWeights;
        this.usefulnessDrop = usefulnessDrop;
    }

    void polish(Double fidelityFinal, int polishTop) {
        this.fidelityFinal = fidelityFinal;
        this.polishTop = polishTop;
    }

    void runtimes(String csv) {
        this.runtimes = csv;
    }

    void purpose(String purpose) {
        this.purpose = purpose;
    }

    /** Whether a polish stage is asked for (fidelity.final beyond fidelity.max, at least one point). */
    boolean wantsPolish() {
        return fidelityFinal != null && fidelityFinal > fidelityMax + 1e-9 && polishTop > 0;
    }

    void startPolish() {
        polishStarted = true;
    }

    /** The search proposes nothing more; the job completes once its trials in flight finish. */
    void stop(String reason) {
        if (stopReason == null) stopReason = reason;
    }

    void proposed(int n) {
        trialsProposed += n;
    }

    boolean wallTimeOver(Instant now) {
        return maxWallSeconds != null && startedAt != null && now.isAfter(startedAt.plusSeconds(maxWallSeconds));
    }

    UUID getId() { return id; }
    UUID getModelId() { return modelId; }
    JobState getState() { return state; }
    Set<UUID> getDeviceIds() { return deviceIds; }
    double getLatencyTargetMs() { return latencyTargetMs; }
    double getMaxAccuracyDrop() { return maxAccuracyDrop; }
    String getObjectives() { return objectives; }
    String getSearchSpace() { return searchSpace; }
    String getStrategy() { return strategy; }
    long getSeed() { return seed; }
    int getMaxTrials() { return maxTrials; }
    Long getMaxWallSeconds() { return maxWallSeconds; }
    double getFidelityMin() { return fidelityMin; }
    double getFidelityMax() { return fidelityMax; }
    int getTrialsProposed() { return trialsProposed; }
    int getPatience() { return patience; }
    boolean isWarmStart() { return warmStart; }
    String getStopReason() { return stopReason; }
    Double getValidationFraction() { return validationFraction; }
    Long getValidationSeed() { return validationSeed; }
    Double getFidelityFinal() { return fidelityFinal; }
    int getPolishTop() { return polishTop; }
    boolean isPolishStarted() { return polishStarted; }
    boolean isBnRecalibration() { return bnRecalibration; }
    boolean isDistillation() { return distillation; }
    boolean isInheritWeights() { return inheritWeights; }
    Double getUsefulnessDrop() { return usefulnessDrop; }
    String getPurpose() { return purpose; }
    String getRuntimes() { return runtimes; }
    String getError() { return error; }
    Instant getCreatedAt() { return createdAt; }
    Instant getStartedAt() { return startedAt; }
    Instant getFinishedAt() { return finishedAt; }
}
