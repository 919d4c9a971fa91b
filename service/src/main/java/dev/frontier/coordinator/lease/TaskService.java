package dev.frontier.coordinator.lease;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.frontier.coordinator.system.FrontierProperties;

/** Queueing work for the workflow; claiming and reporting is {@link LeaseService}. */
@Service
public class TaskService {
    private final TaskRepository tasks;
    private final TaskQueue queue;
    private final TaskSignal signal;
    private final int maxAttempts;

    TaskService(TaskRepository tasks, TaskQueue queue, TaskSignal signal, FrontierProperties props) {
        this.tasks = tasks;
        this.queue = queue;
        this.signal = signal;
        this.maxAttempts = props.lease().maxAttempts();
    }

    /** One PROFILE task per model at a time, however many jobs wait for the profile. */
    @Transactional
    public void ensureProfile(UUID modelId) {
        if (tasks.existsByKindAndModelIdAndStateIn(TaskKind.PROFILE, modelId, EnumSet.of(TaskState.QUEUED, TaskState.LEASED))) return;
        tasks.save(new TaskEntity(TaskKind.PROFILE, null, null, modelId, null, maxAttempts));
        signal.wakeAfterCommit(TaskSignal.BUILD_WORK);
    }

    @Transactional
    public void enqueueBuilds(UUID jobId, Collection<UUID> trialIds) {
        if (trialIds.isEmpty()) return;
        List<UUID> noDevice = Collections.nCopies(trialIds.size(), null);
        queue.enqueue(TaskKind.BUILD, jobId, List.copyOf(trialIds), noDevice, maxAttempts);
        signal.wakeAfterCommit(TaskSignal.BUILD_WORK);
    }

    @Transactional
    public void enqueueMeasures(UUID jobId, UUID trialId, List<MeasureSlot> slots) {
        if (slots.isEmpty()) return;
        queue.enqueueMeasures(jobId, trialId, slots, maxAttempts);
        slots.stream().map(MeasureSlot::deviceId).distinct().forEach(d -> signal.wakeAfterCommit(TaskSignal.key(d)));
    }

    /** Drops queued and running work of a job; a running lease's later report is then ignored. */
    @Transactional
    public int cancelJob(UUID jobId) {
        return tasks.cancelByJob(jobId, EnumSet.of(TaskState.QUEUED, TaskState.LEASED));
    }

    /** When no job waits for a model's profile any more, its queued PROFILE task is dropped. */
    @Transactional
    public int cancelQueuedProfile(UUID modelId) {
        return tasks.cancelQueuedProfile(modelId);
    }

    @Transactional
    public int cancelQueued(Collection<UUID> trialIds) {
        return trialIds.isEmpty() ? 0 : tasks.cancelQueuedByTrials(trialIds);
    }
}
