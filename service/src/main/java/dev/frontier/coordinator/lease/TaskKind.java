package dev.frontier.coordinator.lease;

/** What a worker is asked to do; the order is the claim priority (short device-bound work first). */
public enum TaskKind {
    MEASURE, PROFILE, BUILD
}
