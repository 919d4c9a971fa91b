package dev.frontier.coordinator.access;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.frontier.coordinator.api.model.AccessRole;
import dev.frontier.coordinator.api.model.ApiToken;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.FrontierProperties;
import dev.frontier.coordinator.system.Names;
import dev.frontier.coordinator.system.Times;

/**
 * Creates, lists, revokes and checks API tokens. Every request is authenticated, so a checked
 * token is cached for a short time (default 10 s): a lease cycle must not pay a database round trip
 * for it. Revocation clears this replica's cache at once; other replicas notice within that time.
 */
@Service
public class ApiTokenService {
    private static final Duration MARK_USED_EVERY = Duration.ofMinutes(1);
    private static final int CACHE_LIMIT = 10_000;
    private final ApiTokenRepository tokens;
    private final long cacheNanos;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Optional<Caller> caller, long expiresAt) {
    }

    /** A token as just created: the only moment its secret exists outside the caller's hands. */
    public record Issued(ApiToken token, String secret) {
    }

    ApiTokenService(ApiTokenRepository tokens, FrontierProperties props) {
        this.tokens = tokens;
        this.cacheNanos = props.auth().cacheTtl().toNanos();
    }

    @Transactional
    public Issued create(String name, AccessRole role) {
        return issue(name, role, null, null, Secrets.generate());
    }

    /** A new token bound to a freshly registered worker; the agent continues with it. */
    @Transactional
    public String issueWorkerToken(UUID workerId, String workerName) {
        return issue("worker " + workerName, AccessRole.WORKER, workerId, null, Secrets.generate()).secret();
    }

    private Issued issue(String name, AccessRole role, UUID workerId, String bootstrap, String secret) {
        if (name == null || name.isBlank()) throw ApiException.badRequest("name", "name must not be blank");
        Names.requirePrintable("name", name);
        ApiTokenEntity e = tokens.save(new ApiTokenEntity(name.strip(), role.name(), Secrets.hash(secret),
                Secrets.shownPrefix(secret), workerId, bootstrap));
        return new Issued(toDto(e).secret(secret), secret);
    }

    /**
     * Makes the token given by a setting (FRONTIER_ADMIN_TOKEN, FRONTIER_WORKER_TOKEN) valid, and
     * retires the one an earlier value of that setting created. Returns false when nothing changed.
     */
    @Transactional
    public boolean ensureBootstrap(String slot, String name, AccessRole role, String secret) {
        String hash = Secrets.hash(secret);
        Optional<ApiTokenEntity> current = tokens.findByBootstrap(slot);
        if (current.isPresent() && current.get().getTokenHash().equals(hash) && current.get().isActive()) return false;
        current.ifPresent(e -> {
            e.retireBootstrap();
            tokens.saveAndFlush(e);
        });
        Optional<ApiTokenEntity> sameSecret = tokens.findByTokenHash(hash);
        if (sameSecret.isPresent()) {
            throw new IllegalStateException("the secret of setting " + slot + " is already used by token "
                    + sameSecret.get().getId() + "; choose another value");
        }
        issue(name, role, null, slot, secret);
        cache.clear();
        return true;
    }

    @Transactional(readOnly = true)
    public boolean hasActiveAdmin() {
        return tokens.countByRoleAndRevokedAtIsNull(AccessRole.ADMIN.name()) > 0;
    }

    @Transactional(readOnly = true)
    public List<ApiToken> list() {
        return tokens.findAllByOrderByCreatedAtDesc().stream().map(ApiTokenService::toDto).toList();
    }

    @Transactional
    public ApiToken revoke(UUID id) {
        ApiTokenEntity e = tokens.findById(id).orElseThrow(() -> ApiException.notFound("token", id));
        if (e.isActive() && e.getRole().equals(AccessRole.ADMIN.name())
                && tokens.countByRoleAndRevokedAtIsNull(AccessRole.ADMIN.name()) <= 1) {
            throw ApiException.conflict("token " + id + " is the last active admin token; create another admin token first");
        }
        e.revoke();
        cache.clear();
        return toDto(e);
    }

    /**
     * The caller a secret stands for, if it is a known, unrevoked token. Deliberately not
     * transactional: a cache hit (nearly every request) must not open a transaction, which costs a
     * pooled connection and two database round trips; a miss runs the repository's own.
     */
    public Optional<Caller> authenticate(String secret) {
        String hash = Secrets.hash(secret);
        long now = System.nanoTime();
        Cached hit = cache.get(hash);
        if (hit != null && now - hit.expiresAt() < 0) return hit.caller();
        Optional<ApiTokenEntity> found = tokens.findByTokenHash(hash).filter(ApiTokenEntity::isActive);
        Instant lastUsed = found.map(ApiTokenEntity::getLastUsedAt).orElse(null);
        Instant nowWall = Instant.now();
        // a write at most once a minute per token and replica: lastUsedAt is for humans, not accounting
        if (found.isPresent() && (lastUsed == null || lastUsed.plus(MARK_USED_EVERY).isBefore(nowWall))) {
            tokens.markUsed(found.get().getId(), nowWall);
        }
        Optional<Caller> caller = found.map(e -> new Caller(e.getId(), e.getName(), AccessRole.valueOf(e.getRole()), e.getWorkerId()));
        // unknown secrets are cached too, so guessing cannot turn into database load; the bound keeps memory flat
        if (cache.size() >= CACHE_LIMIT) cache.clear();
        cache.put(hash, new Cached(caller, now + cacheNanos));
        return caller;
    }

    static ApiToken toDto(ApiTokenEntity e) {
        return new ApiToken(e.getId(), e.getName(), AccessRole.valueOf(e.getRole()), e.getPrefix(), Times.utc(e.getCreatedAt()))
                .workerId(e.getWorkerId())
                .lastUsedAt(Times.utc(e.getLastUsedAt()))
                .revokedAt(Times.utc(e.getRevokedAt()));
    }
}
