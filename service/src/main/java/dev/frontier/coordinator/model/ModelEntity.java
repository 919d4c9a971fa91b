package dev.frontier.coordinator.model;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "model")
class ModelEntity {
    @Id
    private UUID id;
    private String name;
    private String format;
    private String inputShape;
    private String datasetName;
    private String sha256;
    private long sizeBytes;
    @Column(columnDefinition = "text")
    private String profile;
    private Instant profiledAt;
    private Instant createdAt;

    protected ModelEntity() {
    }

    ModelEntity(String name, String format, String inputShape, String datasetName, String sha256, long sizeBytes) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.format = format;
        this.inputShape = inputShape;
        this.datasetName = datasetName;
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
        this.createdAt = Instant.now();
    }

    void profiled(String profileJson) {
        this.profile = profileJson;
        this.profiledAt = Instant.now();
    }

    UUID getId() { return id; }
    String getName() { return name; }
    String getFormat() { return format; }
    String getInputShape() { return inputShape; }
    String getDatasetName() { return datasetName; }
    String getSha256() { return sha256; }
    long getSizeBytes() { return sizeBytes; }
    String getProfile() { return profile; }
    Instant getProfiledAt() { return profiledAt; }
    Instant getCreatedAt() { return createdAt; }
}
