package dev.frontier.coordinator.lease;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface TaskRepository extends JpaRepository<TaskEntity, Long> {

    boolean existsByKindAndModelIdAndStateIn(TaskKind kind, UUID modelId, Collection<TaskState> states);

    Optional<TaskEntity> findByLeaseId(UUID leaseId);

    List<TaskEntity> findByTrialId(UUID trialId);

    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("UPDATE TaskEntity t SET t.state = dev.frontier.coordinator.lease.TaskState.CANCELLED, t.updatedAt = CURRENT_TIMESTAMP "
            + "WHERE t.jobId = :jobId AND t.state IN :states")
    int cancelByJob(UUID jobId, Collection<TaskState> states);

    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("UPDATE TaskEntity t SET t.state = dev.frontier.coordinator.lease.TaskState.CANCELLED, t.updatedAt = CURRENT_TIMESTAMP "
            + "WHERE t.modelId = :modelId AND t.kind = dev.frontier.coordinator.lease.TaskKind.PROFILE "
            + "AND t.state = dev.frontier.coordinator.lease.TaskState.QUEUED")
    int cancelQueuedProfile(UUID modelId);

    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("UPDATE TaskEntity t SET t.state = dev.frontier.coordinator.lease.TaskState.CANCELLED, t.updatedAt = CURRENT_TIMESTAMP "
            + "WHERE t.trialId IN :trialIds AND t.state = dev.frontier.coordinator.lease.TaskState.QUEUED")
    int cancelQueuedByTrials(Collection<UUID> trialIds);
}
