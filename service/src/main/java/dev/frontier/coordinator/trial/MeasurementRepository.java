package dev.frontier.coordinator.trial;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface MeasurementRepository extends JpaRepository<MeasurementEntity, Long> {
    List<MeasurementEntity> findByTrialId(UUID trialId);

    List<MeasurementEntity> findByTrialIdIn(Collection<UUID> trialIds);

    @Query("SELECT m FROM MeasurementEntity m WHERE m.trialId IN (SELECT t.id FROM TrialEntity t WHERE t.jobId = :jobId)")
    List<MeasurementEntity> findByJob(UUID jobId);
}
