package dev.frontier.coordinator.worker;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "worker")
class WorkerEntity {
    @Id
    private UUID id;
    private String name;
    private UUID deviceId;
    /** comma-separated role names */
    private String roles;
    /** comma-separated runtime names; null: all its device declares */
    private String runtimes;
    private Instant lastSeenAt;
    private Instant createdAt;

    protected WorkerEntity() {
    }

    WorkerEntity(String name, UUID deviceId, String roles, String runtimes) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.deviceId = deviceId;
        this.roles = roles;
        this.runtimes = runtimes;
        this.createdAt = Instant.now();
        this.lastSeenAt = createdAt;
    }

    UUID getId() { return id; }
    String getName() { return name; }
    UUID getDeviceId() { return deviceId; }
    String getRoles() { return roles; }
    String getRuntimes() { return runtimes; }
    Instant getLastSeenAt() { return lastSeenAt; }
    Instant getCreatedAt() { return createdAt; }
}
