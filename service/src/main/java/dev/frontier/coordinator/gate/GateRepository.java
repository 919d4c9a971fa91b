package dev.frontier.coordinator.gate;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface GateRepository extends JpaRepository<GateEntity, UUID> {

    @Query(value = "select * from gate where model_name = :model and device_id = :device and runtime = :runtime"
            + " and verdict = 'PASS' and id <> :self order by finished_at desc limit 1", nativeQuery = true)
    Optional<GateEntity> lastPass(@Param("model") String modelName, @Param("device") UUID deviceId,
                                  @Param("runtime") String runtime, @Param("self") UUID self);

    List<GateEntity> findTop200ByOrderByCreatedAtDesc();

    List<GateEntity> findTop200ByModelNameOrderByCreatedAtDesc(String modelName);
}
