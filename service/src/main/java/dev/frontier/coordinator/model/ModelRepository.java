package dev.frontier.coordinator.model;

import java.util.List;
import java.util.UUID;

import org.springframework.data.jpa.repository.JpaRepository;

interface ModelRepository extends JpaRepository<ModelEntity, UUID> {
    List<ModelEntity> findAllByOrderByCreatedAtDesc();
}
