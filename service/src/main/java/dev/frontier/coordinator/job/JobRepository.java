package dev.frontier.coordinator.job;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface JobRepository extends JpaRepository<JobEntity, UUID> {
    Page<JobEntity> findByState(JobState state, Pageable pageable);

    List<JobEntity> findByModelIdAndState(UUID modelId, JobState state);

    @Query("SELECT j.id FROM JobEntity j WHERE j.state = :state ORDER BY j.createdAt")
    List<UUID> idsInState(JobState state);

    /** Earlier jobs on the same model, newest first (warm start). */
    @Query("SELECT j FROM JobEntity j WHERE j.modelId = :modelId AND j.id <> :id AND j.createdAt <= :before ORDER BY j.createdAt DESC")
    List<JobEntity> earlierOnModel(UUID modelId, UUID id, java.time.Instant before, Pageable pageable);

    /**
     * The search step and cancellation serialise on the job row (also across replicas). FOR NO KEY
     * UPDATE, not FOR UPDATE: the foreign-key checks of every task and trial insert take FOR KEY
     * SHARE on their job row, which FOR UPDATE blocks, so lease completions of a job (their MEASURE
     * inserts) stalled behind each search step, and a step on a big job is not instant.
     */
    @Query(value = "SELECT * FROM job WHERE id = :id FOR NO KEY UPDATE", nativeQuery = true)
    Optional<JobEntity> lockById(UUID id);
}
