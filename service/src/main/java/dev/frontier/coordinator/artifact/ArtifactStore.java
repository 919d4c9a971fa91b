package dev.frontier.coordinator.artifact;

import java.util.Optional;

/**
 * Content-addressed blob storage. The default keeps bytes in PostgreSQL so coordinator replicas
 * share them without a shared disk; an object-store implementation can replace it.
 */
public interface ArtifactStore {

    /** Stores the bytes (no-op when already present) and returns their sha256. */
    StoredArtifact put(byte[] content, String contentType);

    Optional<StoredArtifact> metadata(String sha256);

    Optional<byte[]> content(String sha256);

    default boolean exists(String sha256) {
        return metadata(sha256).isPresent();
    }

    record StoredArtifact(String sha256, long sizeBytes, String contentType) {
    }
}
