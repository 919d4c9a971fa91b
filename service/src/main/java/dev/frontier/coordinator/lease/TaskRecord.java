package dev.frontier.coordinator.lease;

import java.util.UUID;

/**
 * A task as the job workflow sees it when the lease logic reports an outcome. {@code runtime}: what a
 * MEASURE task times with (frontier-jvm for tasks queued before runtimes existed), null otherwise.
 */
public record TaskRecord(long id, TaskKind kind, UUID jobId, UUID trialId, UUID modelId, UUID deviceId, int attempts,
        String runtime) {
    public TaskRecord {
        runtime = kind != TaskKind.MEASURE ? null : runtime == null ? "frontier-jvm" : runtime;
    }

    public TaskRecord(long id, TaskKind kind, UUID jobId, UUID trialId, UUID modelId, UUID deviceId, int attempts) {
        this(id, kind, jobId, trialId, modelId, deviceId, attempts, null);
    }
}
