package dev.frontier.worker.agent;

import dev.frontier.worker.model.FileBytes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Local copies of coordinator artifacts, keyed by sha256. Every download is hashed before it is
 * used, so a corrupted transfer is caught instead of silently producing wrong numbers.
 */
public final class ArtifactCache {
    private final Path dir;
    private final CoordinatorClient client;

    public ArtifactCache(Path dir, CoordinatorClient client) {
        this.dir = dir;
        this.client = client;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create cache dir " + dir, e);
        }
    }

    public Path fetch(String sha256) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256: " + sha256);
        }
        Path file = dir.resolve(sha256);
        if (Files.isRegularFile(file)) {
            return file;
        }
        byte[] bytes = client.download("artifacts/" + sha256);
        String actual = sha256(bytes);
        if (!actual.equals(sha256)) {
            throw new IllegalStateException("artifact " + sha256 + " arrived with checksum " + actual);
        }
        FileBytes.write(file, bytes, "cached artifact");
        return file;
    }

    /** Uploads bytes and returns their sha256. */
    public String upload(byte[] bytes) {
        return client.putArtifact(sha256(bytes), bytes);
    }

    public static String sha256(byte[] bytes) {
        return FileBytes.sha256(bytes);
    }
}
