package dev.frontier.coordinator.lease;

public enum LeaseState {
    ACTIVE, COMPLETED, FAILED, EXPIRED
}
