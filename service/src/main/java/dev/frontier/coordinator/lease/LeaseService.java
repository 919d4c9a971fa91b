package dev.frontier.coordinator.lease;

import tools.jackson.databind.JsonNode;

import dev.frontier.coordinator.api.model.CompressionConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.frontier.coordinator.api.model.Inheritance;
import dev.frontier.coordinator.api.model.Lease;
import dev.frontier.coordinator.api.model.Recovery;
import dev.frontier.coordinator.api.model.ValidationSplit;
import dev.frontier.coordinator.api.model.LeaseStatus;
import dev.frontier.coordinator.api.model.Role;
import dev.frontier.coordinator.lease.LeaseReports.LockedLease;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.FrontierProperties;
import dev.frontier.coordinator.system.Json;
import dev.frontier.coordinator.system.Times;
import dev.frontier.coordinator.worker.WorkerService.WorkerInfo;

/**
 * The lease protocol: claim, heartbeat, complete, fail, expire. Reports are checked against the
 * lease row under a row lock, which is what makes completion idempotent and a foreign or late
 * report a 409 instead of a silent overwrite.
 */
@Service
public class LeaseService {
    private static final Logger log = LoggerFactory.getLogger(LeaseService.class);
    private final TaskQueue queue;
    private final TaskRepository tasks;
    private final LeaseRepository leases;
    private final TaskEvents events;
    private final TaskSignal signal;
    private final LeaseReports reports;
    private final Duration ttl;

    LeaseService(TaskQueue queue, TaskRepository tasks, LeaseRepository leases, TaskEvents events, TaskSignal signal,
            LeaseReports reports, FrontierProperties props) {
        this.queue = queue;
        this.reports = reports;
        this.tasks = tasks;
        this.leases = leases;
        this.events = events;
        this.signal = signal;
        this.ttl = props.lease().ttl();
    }

    /** Claims up to {@code max} tasks for the worker's roles, in kind priority order. */
    @Transactional
    public List<Lease> claim(WorkerInfo worker, Set<Role> roles, int max) {
        List<Lease> granted = new ArrayList<>();
        Instant expiresAt = Instant.now().plus(ttl);
        for (TaskKind kind : kinds(worker, roles)) {
            int want = max - granted.size();
            if (want <= 0) break;
            List<UUID> trialIds = new ArrayList<>();
            for (TaskQueue.Claimed c : queue.claim(kind, worker.deviceId(), worker.runtimes(), worker.id(), want, expiresAt)) {
                if (c.trialId() != null) trialIds.add(c.trialId());
                granted.add(toDto(c));
            }
            if (!trialIds.isEmpty()) events.leased(kind, trialIds);
        }
        return granted;
    }

    /** Waits (at most {@code max}) until this replica queues work the worker could claim. */
    void await(WorkerInfo worker, Set<Role> roles, Duration max) throws InterruptedException {
        List<Object> keys = new ArrayList<>(2);
        if (roles.contains(Role.BUILD)) keys.add(TaskSignal.BUILD_WORK);
        if (roles.contains(Role.MEASURE) && worker.deviceId() != null) keys.add(TaskSignal.key(worker.deviceId()));
        signal.await(keys, max);
    }

    @Transactional
    public LeaseStatus heartbeat(UUID leaseId, UUID workerId, Double progress, String message) {
        LockedLease lease = lockOwned(leaseId, workerId);
        requireActive(lease.id(), lease.state(), lease.expired(Instant.now()));
        Instant expiresAt = Instant.now().plus(ttl);
        reports.heartbeat(lease, expiresAt, progress, message);
        return status(lease.id(), LeaseState.ACTIVE, null, expiresAt);
    }

    @Transactional
    public LeaseStatus complete(UUID leaseId, UUID workerId, JsonNode body, String artifactSha256) {
        LockedLease lease = lockOwned(leaseId, workerId);
        TaskReport result = TaskReport.read(lease.task().kind(), body);
        if (lease.state() == LeaseState.COMPLETED) {
            // a repeated report (e.g. the worker retried after a lost response) changes nothing
            if (Objects.equals(TaskReport.stored(lease.task().kind(), lease.result()), result)
                    && Objects.equals(lease.artifactSha256(), artifactSha256)) {
                return status(lease, lease.taskState());
            }
            throw ApiException.conflict("lease " + leaseId + " was already completed with a different result");
        }
        requireActive(lease.id(), lease.state(), lease.expired(Instant.now()));
        if (lease.taskState() != TaskState.CANCELLED) events.validate(lease.task().kind(), result, artifactSha256);
        // the task moves to DONE only if it is still this lease's; a job cancelled meanwhile just records the report
        if (!reports.complete(lease, result.json(), artifactSha256)) {
            return status(lease, reports.taskState(lease.task().id()));
        }
        events.completed(lease.task(), result, artifactSha256);
        return status(lease, TaskState.DONE);
    }

    @Transactional
    public LeaseStatus fail(UUID leaseId, UUID workerId, String reason, boolean retryable, String errorKind) {
        LeaseEntity lease = owned(leaseId, workerId);
        if (lease.getState() == LeaseState.FAILED) return status(lease, task(lease).getState());
        requireActive(lease);
        lease.fail(reason);
        TaskEntity task = task(lease);
        if (task.getState() != TaskState.LEASED) return status(lease, task.getState());
        settle(task, reason, retryable, errorKind);
        return status(lease, task.getState());
    }

    /** Expires overdue leases; returns how many. Runs from the reaper, one batch per transaction. */
    @Transactional
    public int reapExpired(int batch) {
        List<LeaseEntity> overdue = leases.lockExpired(batch);
        for (LeaseEntity lease : overdue) {
            lease.expire();
            TaskEntity task = task(lease);
            if (task.getState() != TaskState.LEASED || !lease.getId().equals(task.getLeaseId())) continue;
            String reason = "lease expired without heartbeat (attempt " + task.getAttempts() + " of " + task.getMaxAttempts()
                    + ", worker " + lease.getWorkerId() + ")";
            log.info("task {} ({}): {}", task.getId(), task.getKind(), reason);
            settle(task, reason, true, "LEASE_EXPIRED");
        }
        return overdue.size();
    }

    /** Re-queues the task when the failure may pass and attempts remain; otherwise fails it for good. */
    private void settle(TaskEntity task, String reason, boolean retryable, String errorKind) {
        if (retryable && task.hasAttemptsLeft()) {
            task.requeue(reason);
            events.requeued(task.record());
            signal.wakeAfterCommit(TaskSignal.key(task.record().deviceId()));
        } else {
            String why = retryable ? reason + "; giving up after " + task.getAttempts() + " attempts" : reason;
            task.fail(why);
            events.failed(task.record(), why, errorKind);
        }
    }

    private LockedLease lockOwned(UUID leaseId, UUID workerId) {
        LockedLease lease = reports.lock(leaseId).orElseThrow(() -> ApiException.notFound("lease", leaseId));
        requireOwner(leaseId, lease.workerId(), workerId);
        return lease;
    }

    private static void requireOwner(UUID leaseId, UUID owner, UUID workerId) {
        if (!owner.equals(workerId)) throw ApiException.conflict("lease " + leaseId + " belongs to another worker");
    }

    private LeaseEntity owned(UUID leaseId, UUID workerId) {
        LeaseEntity lease = leases.lockById(leaseId).orElseThrow(() -> ApiException.notFound("lease", leaseId));
        requireOwner(leaseId, lease.getWorkerId(), workerId);
        return lease;
    }

    private static void requireActive(LeaseEntity lease) {
        requireActive(lease.getId(), lease.getState(), lease.expired(Instant.now()));
    }

    private static void requireActive(UUID leaseId, LeaseState state, boolean expired) {
        if (expired) throw ApiException.conflict("lease " + leaseId + " has expired");
        if (state != LeaseState.ACTIVE) throw ApiException.conflict("lease " + leaseId + " is " + state);
    }

    private TaskEntity task(LeaseEntity lease) {
        return tasks.findById(lease.getTaskId()).orElseThrow(() -> new IllegalStateException("lease without task " + lease.getId()));
    }

    private static List<TaskKind> kinds(WorkerInfo worker, Set<Role> roles) {
        List<TaskKind> kinds = new ArrayList<>();
        if (roles.contains(Role.MEASURE) && worker.deviceId() != null) kinds.add(TaskKind.MEASURE);
        if (roles.contains(Role.BUILD)) {
            kinds.add(TaskKind.PROFILE);
            kinds.add(TaskKind.BUILD);
        }
        return kinds;
    }

    static Set<Role> roles(WorkerInfo worker, List<Role> requested) {
        if (requested == null || requested.isEmpty()) return worker.roles();
        Set<Role> roles = EnumSet.copyOf(requested);
        if (!worker.roles().containsAll(roles)) {
            throw ApiException.unprocessable("roles", "worker " + worker.id() + " is registered for " + worker.roles() + " only");
        }
        return roles;
    }

    private static LeaseStatus status(LeaseEntity lease, TaskState taskState) {
        return status(lease.getId(), lease.getState(), taskState, lease.getExpiresAt());
    }

    /** A completed lease as the report left it (its expiry is the last one granted). */
    private static LeaseStatus status(LockedLease lease, TaskState taskState) {
        return status(lease.id(), LeaseState.COMPLETED, taskState, lease.expiresAt());
    }

    private static LeaseStatus status(UUID leaseId, LeaseState state, TaskState taskState, Instant expiresAt) {
        return new LeaseStatus(leaseId, dev.frontier.coordinator.api.model.LeaseState.valueOf(state.name()))
                .taskState(taskState == null ? null : taskState.name())
                .expiresAt(Times.utc(expiresAt));
    }

    private static Lease toDto(TaskQueue.Claimed c) {
        Lease l = new Lease(c.leaseId(), dev.frontier.coordinator.api.model.TaskKind.valueOf(c.kind().name()), c.taskId(),
                Times.utc(c.expiresAt()))
                .trialId(c.trialId()).jobId(c.jobId()).modelId(c.modelId()).modelSha256(c.modelSha256())
                .config(c.kind() == TaskKind.PROFILE ? null : Json.read(c.config(), CompressionConfig.class))
                .fidelity(c.fidelity()).deviceId(c.deviceId()).attempt(c.attempt())
                .artifactSha256(c.kind() == TaskKind.MEASURE ? c.artifactSha256() : null)
                .runtime(c.kind() == TaskKind.MEASURE ? c.runtime() : null);
        if (c.kind() == TaskKind.BUILD && c.build() != null) {
            TaskQueue.Build b = c.build();
            if (b.validationFraction() != null) l.validation(new ValidationSplit(b.validationFraction()).seed(b.validationSeed()));
            l.recovery(new Recovery().bnRecalibration(b.bnRecalibration()).distillation(b.distillation()));
            if (b.inheritSeq() != null && b.inheritSha256() != null) {
                l.inherit(new Inheritance().seq(b.inheritSeq()).checkpointSha256(b.inheritSha256()).fidelity(b.inheritFidelity()));
            }
        }
        if (c.datasetName() != null) {
            l.dataset(new dev.frontier.coordinator.api.model.DatasetRef().name(c.datasetName()).kind(c.datasetKind()).sha256(c.datasetSha256()));
        }
        return l;
    }
}
