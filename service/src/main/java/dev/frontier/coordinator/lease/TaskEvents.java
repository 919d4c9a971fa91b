package dev.frontier.coordinator.lease;

import java.util.List;
import java.util.UUID;

/**
 * What the lease protocol tells the job workflow. Leasing knows nothing about trials or jobs; the
 * workflow (package job) implements this and decides what each outcome means. All calls run
 * inside the lease transaction, so an outcome and its consequences commit together.
 */
public interface TaskEvents {

    /** The trials of tasks of one kind just claimed together (one call per claim statement). */
    void leased(TaskKind kind, List<UUID> trialIds);

    /** Throws a 422 ApiException when a completion report does not have the shape its kind needs. */
    void validate(TaskKind kind, TaskReport result, String artifactSha256);

    void completed(TaskRecord task, TaskReport result, String artifactSha256);

    void requeued(TaskRecord task);

    void failed(TaskRecord task, String reason, String errorKind);
}
