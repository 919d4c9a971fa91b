package dev.frontier.coordinator.dataset;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "dataset")
class DatasetEntity {
    @Id
    private UUID id;
    private String name;
    private String kind;
    @Column(columnDefinition = "text")
    private String splits;
    private String sha256;
    private Long sizeBytes;
    private Instant createdAt;

    protected DatasetEntity() {
    }

    DatasetEntity(String name, String kind, String splits, String sha256, Long sizeBytes) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.kind = kind;
        this.splits = splits;
        this.sha256 = sha256;
        this.sizeBytes = sizeBytes;
        this.createdAt = Instant.now();
    }

    UUID getId() { return id; }
    String getName() { return name; }
    String getKind() { return kind; }
    String getSplits() { return splits; }
    String getSha256() { return sha256; }
    Long getSizeBytes() { return sizeBytes; }
    Instant getCreatedAt() { return createdAt; }
}
