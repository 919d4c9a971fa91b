package dev.frontier.coordinator.trial;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface TrialRepository extends JpaRepository<TrialEntity, UUID> {
    Page<TrialEntity> findByJobId(UUID jobId, Pageable pageable);

    Page<TrialEntity> findByJobIdAndState(UUID jobId, TrialState state, Pageable pageable);

    List<TrialEntity> findByJobIdAndStateIn(UUID jobId, Collection<TrialState> states);

    List<TrialEntity> findByJobIdOrderBySeqAsc(UUID jobId);

    @Query("SELECT t.state, count(t) FROM TrialEntity t WHERE t.jobId = :jobId GROUP BY t.state")
    List<Object[]> countByState(UUID jobId);
}
