package dev.frontier.coordinator.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface ApiTokenRepository extends JpaRepository<ApiTokenEntity, UUID> {
    Optional<ApiTokenEntity> findByTokenHash(String tokenHash);

    Optional<ApiTokenEntity> findByBootstrap(String bootstrap);

    List<ApiTokenEntity> findAllByOrderByCreatedAtDesc();

    long countByRoleAndRevokedAtIsNull(String role);

    @Transactional
    @Modifying
    @Query("update ApiTokenEntity t set t.lastUsedAt = :at where t.id = :id")
    void markUsed(UUID id, Instant at);
}
