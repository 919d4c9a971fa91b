package dev.frontier.coordinator.lease;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One grant of a task to a worker (heartbeats and completions change it in SQL, see {@link LeaseReports}). Kept after it ends so a late or repeated report can be told
 * apart: a repeat of a completed lease is answered idempotently, an expired one with 409.
 */
@Entity
@Table(name = "lease")
class LeaseEntity {
    @Id
    private UUID id;
    private long taskId;
    private UUID workerId;
    @Enumerated(EnumType.STRING)
    private LeaseState state;
    private int attempt;
    private Instant expiresAt;
    private Double progress;
    @Column(columnDefinition = "text")
    private String message;
    @Column(columnDefinition = "text")
    private String result;
    private String artifactSha256;
    private Instant createdAt;
    private Instant finishedAt;

    protected LeaseEntity() {
    }

    boolean expired(Instant now) {
        return LeaseReports.expired(state, expiresAt, now);
    }

    void fail(String reason) {
        this.state = LeaseState.FAILED;
        this.message = reason;
        this.finishedAt = Instant.now();
    }

    void expire() {
        this.state = LeaseState.EXPIRED;
        this.finishedAt = Instant.now();
    }

    UUID getId() { return id; }
    long getTaskId() { return taskId; }
    UUID getWorkerId() { return workerId; }
    LeaseState getState() { return state; }
    Instant getExpiresAt() { return expiresAt; }
    String getResult() { return result; }
    String getArtifactSha256() { return artifactSha256; }
}
