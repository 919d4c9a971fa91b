package dev.frontier.coordinator.worker;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

interface WorkerRepository extends JpaRepository<WorkerEntity, UUID> {
    List<WorkerEntity> findAllByOrderByCreatedAtAsc();

    /** Throttled: a worker polling many times a second should not rewrite its row each time. */
    @Transactional
    @Modifying
    @Query(value = "UPDATE worker SET last_seen_at = :now WHERE id = :id AND last_seen_at < :staleBefore", nativeQuery = true)
    int touch(UUID id, Instant now, Instant staleBefore);
}
