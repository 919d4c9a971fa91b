package dev.frontier.coordinator.dataset;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface DatasetRepository extends JpaRepository<DatasetEntity, UUID> {
    Optional<DatasetEntity> findByName(String name);

    boolean existsByName(String name);

    List<DatasetEntity> findAllByOrderByNameAsc();
}
