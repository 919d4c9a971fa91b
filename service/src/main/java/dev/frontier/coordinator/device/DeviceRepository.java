package dev.frontier.coordinator.device;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface DeviceRepository extends JpaRepository<DeviceEntity, UUID> {
    List<DeviceEntity> findAllByOrderByCreatedAtAsc();

    /** Throttled so a busy worker's lease polls don't rewrite the device row every time. */
    @Modifying
    @Query(value = "UPDATE device SET last_heartbeat_at = :now WHERE id = :id "
            + "AND (last_heartbeat_at IS NULL OR last_heartbeat_at < :staleBefore)", nativeQuery = true)
    int touch(UUID id, Instant now, Instant staleBefore);
}
