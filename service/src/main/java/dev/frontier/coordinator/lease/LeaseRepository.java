package dev.frontier.coordinator.lease;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface LeaseRepository extends JpaRepository<LeaseEntity, UUID> {

    /** Row lock: a report, a heartbeat and the reaper never act on one lease at the same time. */
    @Query(value = "SELECT * FROM lease WHERE id = :id FOR UPDATE", nativeQuery = true)
    Optional<LeaseEntity> lockById(UUID id);

    /** SKIP LOCKED: a lease being reported right now is not expired under the reporter's feet. */
    @Query(value = "SELECT * FROM lease WHERE state = 'ACTIVE' AND expires_at < now() "
            + "ORDER BY expires_at LIMIT :limit FOR UPDATE SKIP LOCKED", nativeQuery = true)
    List<LeaseEntity> lockExpired(int limit);
}
