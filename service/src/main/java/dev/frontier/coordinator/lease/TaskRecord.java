package dev.frontier.coordinator.lease;

import java.util.UUID;

/** A task as the job workflow sees it when the lease logic reports an outcome. */
public record TaskRecord(long id, TaskKind kind, UUID jobId, UUID trialId, UUID modelId, UUID deviceId, int attempts) {
}
