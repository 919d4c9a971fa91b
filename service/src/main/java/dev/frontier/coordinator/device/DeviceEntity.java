package dev.frontier.coordinator.device;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "device")
class DeviceEntity {
    @Id
    private UUID id;
    private String name;
    @Column(columnDefinition = "text")
    private String labels;
    @Column(columnDefinition = "text")
    private String hardware;
    @Column(columnDefinition = "text")
    private String runtimes;
    private Instant lastHeartbeatAt;
    private Instant createdAt;

    protected DeviceEntity() {
    }

    DeviceEntity(String name, String labels, String hardware, String runtimes, Instant now) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.labels = labels;
        this.hardware = hardware;
        this.runtimes = runtimes;
        this.createdAt = now;
    }

    /** JSON list of DeviceRuntime; null: none declared (frontier-jvm). */
    void declareRuntimes(String json) {
        this.runtimes = json;
    }

    void heartbeat(Instant now) {
        this.lastHeartbeatAt = now;
    }

    UUID getId() { return id; }
    String getName() { return name; }
    String getLabels() { return labels; }
    String getHardware() { return hardware; }
    String getRuntimes() { return runtimes; }
    Instant getLastHeartbeatAt() { return lastHeartbeatAt; }
    Instant getCreatedAt() { return createdAt; }
}
