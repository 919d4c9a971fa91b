package dev.frontier.coordinator.lease;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A unit of work. Claimed by {@link TaskQueue} in SQL; every other change goes through here. */
@Entity
@Table(name = "task")
class TaskEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;
    @Enumerated(EnumType.STRING)
    private TaskKind kind;
    @Enumerated(EnumType.STRING)
    private TaskState state;
    private UUID jobId;
    private UUID trialId;
    private UUID modelId;
    private UUID deviceId;
    /** MEASURE: the runtime to time with (null: frontier-jvm); written by the bulk insert only */
    @Column(insertable = false, updatable = false)
    private String runtime;
    private int attempts;
    private int maxAttempts;
    private UUID leaseId;
    private UUID workerId;
    private Instant leaseExpiresAt;
    @Column(columnDefinition = "text")
    private String lastError;
    private Instant createdAt;
    private Instant updatedAt;

    protected TaskEntity() {
    }

    TaskEntity(TaskKind kind, UUID jobId, UUID trialId, UUID modelId, UUID deviceId, int maxAttempts) {
        this.kind = kind;
        this.state = TaskState.QUEUED;
        this.jobId = jobId;
        this.trialId = trialId;
        this.modelId = modelId;
        this.deviceId = deviceId;
        this.maxAttempts = maxAttempts;
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    /** Back to the queue; the attempt was already counted when it was leased. */
    void requeue(String error) {
        state = TaskState.QUEUED;
        leaseId = null;
        workerId = null;
        leaseExpiresAt = null;
        lastError = error;
        updatedAt = Instant.now();
    }

    void fail(String error) {
        state = TaskState.FAILED;
        leaseExpiresAt = null;
        lastError = error;
        updatedAt = Instant.now();
    }

    boolean hasAttemptsLeft() {
        return attempts < maxAttempts;
    }

    TaskRecord record() {
        return new TaskRecord(id, kind, jobId, trialId, modelId, deviceId, attempts, runtime);
    }

    Long getId() { return id; }
    TaskKind getKind() { return kind; }
    TaskState getState() { return state; }
    UUID getLeaseId() { return leaseId; }
    int getAttempts() { return attempts; }
    int getMaxAttempts() { return maxAttempts; }
    String getLastError() { return lastError; }
}
