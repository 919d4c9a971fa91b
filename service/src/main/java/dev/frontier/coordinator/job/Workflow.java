package dev.frontier.coordinator.job;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.frontier.coordinator.api.model.SearchSpace;
import dev.frontier.coordinator.artifact.ArtifactStore;
import dev.frontier.coordinator.search.SearchSpaces;
import dev.frontier.coordinator.lease.TaskEvents;
import dev.frontier.coordinator.lease.TaskKind;
import dev.frontier.coordinator.lease.TaskRecord;
import dev.frontier.coordinator.lease.TaskService;
import dev.frontier.coordinator.model.ModelService;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.Json;
import dev.frontier.coordinator.trial.TrialService;
import dev.frontier.coordinator.trial.TrialState;

/**
 * What each task outcome means for trials and jobs: a profile starts the waiting jobs, a build
 * fans out into one measurement per target device, the last measurement finishes the trial.
 * Runs inside the lease transaction (see {@link TaskEvents}).
 */
@Component
class Workflow implements TaskEvents {
    private static final Logger log = LoggerFactory.getLogger(Workflow.class);
    private final JobRepository jobs;
    private final TrialService trials;
    private final TaskService tasks;
    private final ModelService models;
    private final ArtifactStore artifacts;
    // a job's target devices never change: every BUILD/MEASURE report needs them, so keep them
    private final Map<UUID, List<UUID>> jobDevices = new ConcurrentHashMap<>();

    Workflow(JobRepository jobs, TrialService trials, TaskService tasks, ModelService models, ArtifactStore artifacts) {
        this.jobs = jobs;
        this.trials = trials;
        this.tasks = tasks;
        this.models = models;
        this.artifacts = artifacts;
    }

    @Override
    public void leased(TaskKind kind, List<UUID> trialIds) {
        // a trial measured on several devices is leased once per device: only the first lease moves it
        switch (kind) {
            case BUILD -> trials.moveAll(trialIds, TrialState.QUEUED, TrialState.BUILDING);
            case MEASURE -> trials.moveAll(trialIds, TrialState.BUILT, TrialState.MEASURING);
            default -> { }
        }
    }

    @Override
    public void validate(TaskKind kind, Map<String, Object> result, String artifactSha256) {
        switch (kind) {
            case PROFILE -> {
                if (!(result.get("layers") instanceof List<?>)) {
                    throw ApiException.unprocessable("result.layers", "a model profile needs a 'layers' list");
                }
            }
            case BUILD -> {
                Double accuracy = Json.number(result, "accuracy");
                if (accuracy == null || accuracy < 0 || accuracy > 100) {
                    throw ApiException.unprocessable("result.accuracy", "build metrics need 'accuracy' in percent [0,100]");
                }
                Double validation = Json.number(result, "validationAccuracy");
                if (validation != null && (validation < 0 || validation > 100)) {
                    throw ApiException.unprocessable("result.validationAccuracy", "validationAccuracy must be in percent [0,100]");
                }
                Double size = Json.number(result, "sizeBytes");
                if (size != null && size < 0) throw ApiException.unprocessable("result.sizeBytes", "sizeBytes must be >= 0");
                if (artifactSha256 == null) throw ApiException.unprocessable("artifactSha256", "a BUILD result needs the uploaded artifact's sha256");
                if (!artifacts.exists(artifactSha256)) {
                    throw ApiException.unprocessable("artifactSha256", "artifact " + artifactSha256 + " was not uploaded");
                }
            }
            case MEASURE -> {
                Double median = Json.number(result, "medianMs");
                if (median == null || median <= 0 || median.isInfinite()) {
                    throw ApiException.unprocessable("result.medianMs", "latency metrics need 'medianMs' > 0");
                }
            }
        }
    }

    @Override
    public void completed(TaskRecord task, Map<String, Object> result, String artifactSha256) {
        switch (task.kind()) {
            case PROFILE -> {
                models.storeProfile(task.modelId(), result);
                for (JobEntity job : jobs.findByModelIdAndState(task.modelId(), JobState.PROFILING)) {
                    // what could not be checked at job creation is checked against the profile now
                    List<SearchSpaces.Problem> problems = SearchSpaces.problems(
                            JobService.narrowing(Json.read(job.getSearchSpace(), SearchSpace.class)), result);
                    if (problems.isEmpty()) job.moveTo(JobState.RUNNING);
                    else job.fail("invalid search space for this model: " + problems.stream()
                            .map(p -> p.field() + ": " + p.message()).collect(java.util.stream.Collectors.joining("; ")));
                }
            }
            case BUILD -> {
                if (!trials.built(task.trialId(), result, artifactSha256)) return; // cancelled meanwhile: keep nothing
                tasks.enqueueMeasures(task.jobId(), task.trialId(), devices(task.jobId()));
            }
            case MEASURE -> {
                if (trials.state(task.trialId()).isFinal()) return; // cancelled meanwhile: keep nothing
                long measured = trials.measured(task.trialId(), task.deviceId(), result);
                if (measured >= devices(task.jobId()).size()) trials.finish(task.trialId(), TrialState.DONE);
            }
        }
    }

    private List<UUID> devices(UUID jobId) {
        List<UUID> cached = jobDevices.get(jobId);
        if (cached != null) return cached;
        List<UUID> ids = List.copyOf(jobs.findById(jobId).orElseThrow().getDeviceIds());
        if (jobDevices.size() > 10_000) jobDevices.clear();
        jobDevices.put(jobId, ids);
        return ids;
    }

    @Override
    public void requeued(TaskRecord task) {
        if (task.kind() == TaskKind.BUILD) trials.moveIf(task.trialId(), TrialState.BUILDING, TrialState.QUEUED);
    }

    @Override
    public void failed(TaskRecord task, String reason, String errorKind) {
        log.info("task {} ({}) failed for good: {}", task.id(), task.kind(), reason);
        if (task.kind() == TaskKind.PROFILE) {
            for (JobEntity job : jobs.findByModelIdAndState(task.modelId(), JobState.PROFILING)) {
                job.fail("profiling the model failed: " + reason);
            }
            return;
        }
        trials.fail(task.trialId(), reason, errorKind == null ? task.kind() + "_FAILED" : errorKind);
        tasks.cancelQueued(List.of(task.trialId()));
    }
}
