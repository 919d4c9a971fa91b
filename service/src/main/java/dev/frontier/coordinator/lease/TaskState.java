package dev.frontier.coordinator.lease;

public enum TaskState {
    QUEUED, LEASED, DONE, FAILED, CANCELLED
}
