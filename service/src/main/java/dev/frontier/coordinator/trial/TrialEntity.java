package dev.frontier.coordinator.trial;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.frontier.coordinator.system.IllegalTransitionException;

/** All state changes go through {@link #moveTo}, which enforces {@link TrialState}'s table. */
@Entity
@Table(name = "trial")
class TrialEntity {
    @Id
    private UUID id;
    private UUID jobId;
    private int seq;
    @Column(columnDefinition = "text")
    private String config;
    private double fidelity;
    private Integer promotedFrom;
    @Enumerated(EnumType.STRING)
    private TrialState state;
    private int attempts;
    private Double accuracy;
    private Double validationAccuracy;
    private String checkpointSha256;
    private Integer inheritedFrom;
    private String inheritSha256;
    private Double inheritFidelity;
    private boolean polish;
    private Long sizeBytes;
    @Column(columnDefinition = "text")
    private String buildMetrics;
    private String artifactSha256;
    @Column(columnDefinition = "text")
    private String error;
    private String errorKind;
    private Instant createdAt;
    private Instant startedAt;
    private Instant finishedAt;

    protected TrialEntity() {
    }

    TrialEntity(UUID jobId, int seq, String config, double fidelity) {
        this(jobId, seq, config, fidelity, null);
    }

    TrialEntity(UUID jobId, int seq, String config, double fidelity, Integer promotedFrom) {
        this.promotedFrom = promotedFrom;
        this.id = UUID.randomUUID();
        this.jobId = jobId;
        this.seq = seq;
        this.config = config;
        this.fidelity = fidelity;
        this.state = TrialState.QUEUED;
        this.createdAt = Instant.now();
    }

    void inherit(int seq, String checkpointSha256, double fidelity) {
        this.inheritedFrom = seq;
        this.inheritSha256 = checkpointSha256;
        this.inheritFidelity = fidelity;
    }

    void markPolish() {
        this.polish = true;
    }

    void moveTo(TrialState next) {
        if (!state.canMoveTo(next)) throw new IllegalTransitionException("trial " + id, state, next);
        state = next;
        if (next == TrialState.BUILDING) {
            attempts++;
            if (startedAt == null) startedAt = Instant.now();
        }
        if (next.isFinal()) finishedAt = Instant.now();
    }

    void built(String metrics, Double accuracy, Long sizeBytes, String artifactSha256) {
        moveTo(TrialState.BUILT);
        this.buildMetrics = metrics;
        this.accuracy = accuracy;
        this.sizeBytes = sizeBytes;
        this.artifactSha256 = artifactSha256;
    }

    void fail(String reason, String kind) {
        moveTo(TrialState.FAILED);
        this.error = reason;
        this.errorKind = kind;
    }

    UUID getId() { return id; }
    UUID getJobId() { return jobId; }
    int getSeq() { return seq; }
    String getConfig() { return config; }
    double getFidelity() { return fidelity; }
    Integer getPromotedFrom() { return promotedFrom; }
    TrialState getState() { return state; }
    int getAttempts() { return attempts; }
    Double getAccuracy() { return accuracy; }
    Double getValidationAccuracy() { return validationAccuracy; }
    String getCheckpointSha256() { return checkpointSha256; }
    Integer getInheritedFrom() { return inheritedFrom; }
    String getInheritSha256() { return inheritSha256; }
    Double getInheritFidelity() { return inheritFidelity; }
    boolean isPolish() { return polish; }
    Long getSizeBytes() { return sizeBytes; }
    String getBuildMetrics() { return buildMetrics; }
    String getArtifactSha256() { return artifactSha256; }
    String getError() { return error; }
    String getErrorKind() { return errorKind; }
    Instant getCreatedAt() { return createdAt; }
    Instant getStartedAt() { return startedAt; }
    Instant getFinishedAt() { return finishedAt; }
}
