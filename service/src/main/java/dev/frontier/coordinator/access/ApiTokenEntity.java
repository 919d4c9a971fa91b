package dev.frontier.coordinator.access;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One API token: its role, its owner's name and the SHA-256 of its secret (never the secret). */
@Entity
@Table(name = "api_token")
class ApiTokenEntity {
    @Id
    private UUID id;
    private String name;
    /** {@code AccessRole} constant name: ADMIN, MEMBER or WORKER */
    private String role;
    private String tokenHash;
    private String prefix;
    private UUID workerId;
    private String bootstrap;
    private Instant createdAt;
    private Instant lastUsedAt;
    private Instant revokedAt;

    protected ApiTokenEntity() {
    }

    ApiTokenEntity(String name, String role, String tokenHash, String prefix, UUID workerId, String bootstrap) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.role = role;
        this.tokenHash = tokenHash;
        this.prefix = prefix;
        this.workerId = workerId;
        this.bootstrap = bootstrap;
        this.createdAt = Instant.now();
    }

    UUID getId() { return id; }
    String getName() { return name; }
    String getRole() { return role; }
    String getTokenHash() { return tokenHash; }
    String getPrefix() { return prefix; }
    UUID getWorkerId() { return workerId; }
    String getBootstrap() { return bootstrap; }
    Instant getCreatedAt() { return createdAt; }
    Instant getLastUsedAt() { return lastUsedAt; }
    Instant getRevokedAt() { return revokedAt; }

    boolean isActive() {
        return revokedAt == null;
    }

    void revoke() {
        if (revokedAt == null) revokedAt = Instant.now();
    }

    /** Frees the bootstrap slot so a changed FRONTIER_ADMIN_TOKEN can take it. */
    void retireBootstrap() {
        bootstrap = null;
        revoke();
    }
}
