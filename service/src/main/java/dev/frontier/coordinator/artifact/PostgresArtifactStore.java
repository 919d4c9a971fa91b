package dev.frontier.coordinator.artifact;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Plain JDBC: blobs have no behaviour worth an entity, and bytea streams straight through. */
@Repository
class PostgresArtifactStore implements ArtifactStore {
    private final JdbcTemplate jdbc;
    // content-addressed and never deleted: once seen, a sha stays valid (bounded to cap memory)
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    PostgresArtifactStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public StoredArtifact put(byte[] content, String contentType) {
        String sha = Sha256.hex(content);
        String type = contentType == null ? "application/octet-stream" : contentType;
        jdbc.update("INSERT INTO artifact (sha256, content, size_bytes, content_type) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (sha256) DO NOTHING", sha, content, (long) content.length, type);
        return new StoredArtifact(sha, content.length, type);
    }

    @Override
    public boolean exists(String sha256) {
        if (seen.contains(sha256)) return true;
        boolean found = metadata(sha256).isPresent();
        if (found && seen.size() < 100_000) seen.add(sha256);
        return found;
    }

    @Override
    public Optional<StoredArtifact> metadata(String sha256) {
        List<StoredArtifact> rows = jdbc.query("SELECT sha256, size_bytes, content_type FROM artifact WHERE sha256 = ?",
                (rs, i) -> new StoredArtifact(rs.getString(1), rs.getLong(2), rs.getString(3)), sha256);
        return rows.stream().findFirst();
    }

    @Override
    public Optional<byte[]> content(String sha256) {
        List<byte[]> rows = jdbc.query("SELECT content FROM artifact WHERE sha256 = ?", (rs, i) -> rs.getBytes(1), sha256);
        return rows.stream().findFirst();
    }
}
