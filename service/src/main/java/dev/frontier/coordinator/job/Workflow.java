package dev.frontier.coordinator.job;

import dev.frontier.coordinator.lease.TaskReport;

import dev.frontier.coordinator.api.model.LatencyMetrics;

import dev.frontier.coordinator.api.model.BuildMetrics;
import dev.frontier.coordinator.api.model.ModelProfile;

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
import dev.frontier.coordinator.api.model.DeviceRuntime;
import dev.frontier.coordinator.device.DeviceService;
import dev.frontier.coordinator.device.Runtimes;
import dev.frontier.coordinator.lease.MeasureSlot;
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
    private final DeviceService deviceService;
    // a job's target devices never change: every BUILD/MEASURE report needs them, so keep them
    private final Map<UUID, List<UUID>> jobDevices = new ConcurrentHashMap<>();

    Workflow(JobRepository jobs, TrialService trials, TaskService tasks, ModelService models, ArtifactStore artifacts,
            DeviceService deviceService) {
        this.jobs = jobs;
        this.deviceService = deviceService;
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
    public void validate(TaskKind kind, TaskReport report, String artifactSha256) {
        switch (kind) {
            case PROFILE -> {
                if (report.profile().getLayers() == null) {
                    throw ApiException.unprocessable("result.layers", "a model profile needs a 'layers' list");
                }
            }
            case BUILD -> {
                BuildMetrics result = report.build();
                Double accuracy = result.getAccuracy();
                if (accuracy == null || accuracy < 0 || accuracy > 100) {
                    throw ApiException.unprocessable("result.accuracy", "build metrics need 'accuracy' in percent [0,100]");
                }
                Double validation = result.getValidationAccuracy();
                if (validation != null && (validation < 0 || validation > 100)) {
                    throw ApiException.unprocessable("result.validationAccuracy", "validationAccuracy must be in percent [0,100]");
                }
                Long size = result.getSizeBytes();
                if (size != null && size < 0) throw ApiException.unprocessable("result.sizeBytes", "sizeBytes must be >= 0");
                if (artifactSha256 == null) throw ApiException.unprocessable("artifactSha256", "a BUILD result needs the uploaded artifact's sha256");
                for (Map.Entry<String, String> a : RuntimeArtifacts.of(result, artifactSha256).entrySet()) {
                    if (!artifacts.exists(a.getValue())) {
                        String field = a.getValue().equals(artifactSha256) ? "artifactSha256" : "result.runtimeArtifacts." + a.getKey();
                        throw ApiException.unprocessable(field, "artifact " + a.getValue() + " (" + a.getKey() + ") was not uploaded");
                    }
                }
            }
            case MEASURE -> {
                Double median = report.latency().getMedianMs();
                if (median == null || median <= 0 || median.isInfinite()) {
                    throw ApiException.unprocessable("result.medianMs", "latency metrics need 'medianMs' > 0");
                }
            }
        }
    }

    @Override
    public void completed(TaskRecord task, TaskReport report, String artifactSha256) {
        switch (task.kind()) {
            case PROFILE -> {
                ModelProfile result = report.profile();
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
                if (!trials.built(task.trialId(), report.build(), artifactSha256)) return; // cancelled meanwhile: keep nothing
                List<MeasureSlot> slots = measureSlots(task.jobId(), RuntimeArtifacts.of(report.build(), artifactSha256));
                if (slots.isEmpty()) {
                    trials.fail(task.trialId(), "the build produced no artifact for any of the job's runtimes "
                            + Runtimes.parse(job(task.jobId()).getRuntimes()), "NO_RUNTIME_ARTIFACT");
                    return;
                }
                trials.expectMeasures(task.trialId(), slots.size());
                tasks.enqueueMeasures(task.jobId(), task.trialId(), slots);
            }
            case MEASURE -> {
                if (trials.state(task.trialId()).isFinal()) return; // cancelled meanwhile: keep nothing
                LatencyMetrics result = report.latency();
                boolean emulated = Boolean.TRUE.equals(result.getEmulated()) || declaredEmulated(task.deviceId(), task.runtime());
                if (trials.measured(task.trialId(), task.deviceId(), task.runtime(), emulated, result, devices(task.jobId()).size())) {
                    trials.finish(task.trialId(), TrialState.DONE);
                }
            }
        }
    }

    /**
     * One measurement per job runtime on each target device offering it, of the artifact the build
     * made for that runtime (a runtime without one is skipped).
     */
    private List<MeasureSlot> measureSlots(UUID jobId, Map<String, String> artifactsByRuntime) {
        JobEntity job = job(jobId);
        Map<UUID, List<DeviceRuntime>> offered = deviceService.runtimes(job.getDeviceIds());
        List<MeasureSlot> slots = new java.util.ArrayList<>();
        for (UUID device : devices(jobId)) {
            for (String runtime : Runtimes.parse(job.getRuntimes())) {
                boolean offers = offered.getOrDefault(device, List.of()).stream().anyMatch(r -> r.getName().equals(runtime));
                String sha = artifactsByRuntime.get(runtime);
                if (offers && sha != null) slots.add(new MeasureSlot(device, runtime, sha));
            }
        }
        return slots;
    }

    private boolean declaredEmulated(UUID device, String runtime) {
        return deviceService.runtimes(List.of(device)).getOrDefault(device, List.of()).stream()
                .anyMatch(r -> r.getName().equals(runtime) && Boolean.TRUE.equals(r.getEmulated()));
    }

    private JobEntity job(UUID jobId) {
        return jobs.findById(jobId).orElseThrow();
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
        // a runtime other than the one steering the search failing for good costs that runtime's point only
        if (task.kind() == TaskKind.MEASURE && !task.runtime().equals(JobService.steering(job(task.jobId())))) {
            if (!trials.state(task.trialId()).isFinal() && trials.dropExpectedMeasure(task.trialId())) {
                trials.finish(task.trialId(), TrialState.DONE);
            }
            return;
        }
        trials.fail(task.trialId(), reason, errorKind == null ? task.kind() + "_FAILED" : errorKind);
        tasks.cancelQueued(List.of(task.trialId()));
    }
}
