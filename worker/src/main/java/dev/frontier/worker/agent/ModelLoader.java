package dev.frontier.worker.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.InvalidModelException;
import dev.frontier.worker.onnx.ModelFormats;

/**
 * Fetches a lease's model by sha256 and parses it (Frontier IR or ONNX, told apart by content); a bad
 * file is a permanent failure of the task.
 */
final class ModelLoader {
    private final ArtifactCache cache;

    ModelLoader(ArtifactCache cache) {
        this.cache = cache;
    }

    Graph load(Lease lease) throws TaskFailure {
        if (lease.modelSha256() == null) {
            throw new TaskFailure("BAD_LEASE", "lease carries no model sha256", false);
        }
        Path file = fetch(cache, lease.modelSha256(), "model");
        try {
            return ModelFormats.load(Files.readAllBytes(file));
        } catch (InvalidModelException e) {
            throw new TaskFailure("INVALID_MODEL", "the model file cannot be used: " + e.getMessage(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path fetch(ArtifactCache cache, String sha, String what) throws TaskFailure {
        try {
            return cache.fetch(sha);
        } catch (CoordinatorException e) {
            throw new TaskFailure("DOWNLOAD", "cannot download the " + what + ": " + e.getMessage(),
                    e.status() == 0 || e.status() >= 500);
        } catch (IllegalStateException e) {
            throw new TaskFailure("CHECKSUM", e.getMessage(), true);
        }
    }
}
