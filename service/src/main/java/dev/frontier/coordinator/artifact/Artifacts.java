package dev.frontier.coordinator.artifact;

import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;

/** Shared helpers for other features that serve stored bytes (model and trial downloads). */
public final class Artifacts {
    private Artifacts() {
    }

    public static ResponseEntity<Resource> download(byte[] bytes, String sha256) {
        return ArtifactController.binary(bytes, sha256);
    }
}
