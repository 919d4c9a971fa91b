package dev.frontier.coordinator.job;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.frontier.coordinator.api.model.Budget;
import dev.frontier.coordinator.api.model.DeviceFrontier;
import dev.frontier.coordinator.api.model.Fidelity;
import dev.frontier.coordinator.api.model.Frontier;
import dev.frontier.coordinator.api.model.Job;
import dev.frontier.coordinator.api.model.JobPage;
import dev.frontier.coordinator.api.model.JobPurpose;
import dev.frontier.coordinator.api.model.JobProgress;
import dev.frontier.coordinator.api.model.JobRequest;
import dev.frontier.coordinator.api.model.Objective;
import dev.frontier.coordinator.api.model.Recovery;
import dev.frontier.coordinator.api.model.ValidationSplit;
import dev.frontier.coordinator.goal.Goal;
import dev.frontier.coordinator.api.model.SearchSpace;
import dev.frontier.coordinator.api.model.Scheme;
import dev.frontier.coordinator.api.model.StopReason;
import dev.frontier.coordinator.api.model.Strategy;
import dev.frontier.coordinator.search.SearchSpaces;
import dev.frontier.coordinator.search.Strategies;
import dev.frontier.coordinator.api.model.DeviceRuntime;
import dev.frontier.coordinator.device.DeviceService;
import dev.frontier.coordinator.device.Runtimes;
import dev.frontier.coordinator.frontier.FrontierService;
import dev.frontier.coordinator.lease.TaskService;
import dev.frontier.coordinator.model.ModelService;
import dev.frontier.coordinator.model.ModelService.ModelInfo;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.Json;
import dev.frontier.coordinator.system.Times;
import dev.frontier.coordinator.trial.TrialService;
import dev.frontier.coordinator.trial.TrialState;
import dev.frontier.coordinator.trial.TrialView;

@Service
public class JobService {
    private static final int DEFAULT_MAX_TRIALS = 50;
    static final int DEFAULT_POLISH_TOP = 3;
    private final JobRepository jobs;
    private final ModelService models;
    private final DeviceService devices;
    private final TrialService trials;
    private final TaskService tasks;
    private final FrontierService frontiers;

    JobService(JobRepository jobs, ModelService models, DeviceService devices, TrialService trials, TaskService tasks,
            FrontierService frontiers) {
        this.jobs = jobs;
        this.models = models;
        this.devices = devices;
        this.trials = trials;
        this.tasks = tasks;
        this.frontiers = frontiers;
    }

    @Transactional
    public Job create(JobRequest req) {
        // 1e400 parses as Infinity, which passes @DecimalMin and would later be written as invalid JSON
        requireFinite("latencyTargetMs", req.getLatencyTargetMs());
        requireFinite("maxAccuracyDrop", req.getMaxAccuracyDrop());
        ModelInfo model = models.info(req.getModelId())
                .orElseThrow(() -> ApiException.unprocessable("modelId", "model " + req.getModelId() + " does not exist"));
        Set<UUID> deviceIds = new LinkedHashSet<>(req.getDeviceIds());
        for (int i = 0; i < req.getDeviceIds().size(); i++) {
            UUID d = req.getDeviceIds().get(i);
            if (d == null || !devices.exists(d)) throw ApiException.unprocessable("deviceIds[" + i + "]", "device " + d + " does not exist");
        }
        List<String> runtimes = runtimes(req.getRuntimes(), devices.runtimes(deviceIds));
        Fidelity fidelity = req.getFidelity() == null ? new Fidelity() : req.getFidelity();
        double fMin = fidelity.getMin() == null ? 0.25 : fidelity.getMin();
        double fMax = fidelity.getMax() == null ? Math.max(1.0, fMin) : fidelity.getMax();
        if (fMin > fMax) throw ApiException.unprocessable("fidelity.min", "fidelity.min (" + fMin + ") exceeds fidelity.max (" + fMax + ")");
        Double fFinal = fidelity.getFinal();
        if (fFinal != null && fFinal < fMax) {
            throw ApiException.unprocessable("fidelity.final", "fidelity.final (" + fFinal + ") is below fidelity.max (" + fMax
                    + "); the polish stage fine-tunes further, leave it out for no polish stage");
        }
        requireFinite("usefulnessDrop", req.getUsefulnessDrop());
        if (req.getUsefulnessDrop() != null && req.getUsefulnessDrop() < req.getMaxAccuracyDrop()) {
            throw ApiException.unprocessable("usefulnessDrop", "usefulnessDrop (" + req.getUsefulnessDrop()
                    + ") must be at least maxAccuracyDrop (" + req.getMaxAccuracyDrop() + ")");
        }
        List<SearchSpaces.Problem> problems = SearchSpaces.problems(narrowing(req.getSearchSpace()), model.profiled() ? model.profile() : null);
        if (!problems.isEmpty()) throw ApiException.badRequest(problems.get(0).field(), problems.get(0).message());
        Budget budget = req.getBudget() == null ? new Budget() : req.getBudget();
        int maxTrials = budget.getMaxTrials() == null ? DEFAULT_MAX_TRIALS : budget.getMaxTrials();
        List<Objective> objectives = req.getObjectives() == null || req.getObjectives().isEmpty()
                ? List.of(Objective.ACCURACY, Objective.LATENCY, Objective.SIZE) : req.getObjectives();
        long seed = req.getSeed() == null ? System.nanoTime() : req.getSeed();
        String strategy = req.getStrategy() == null ? Strategies.DEFAULT : req.getStrategy().getValue();

        JobEntity job = new JobEntity(model.id(), deviceIds, req.getLatencyTargetMs(), req.getMaxAccuracyDrop(),
                objectives.stream().map(Objective::name).collect(Collectors.joining(",")),
                Json.write(req.getSearchSpace()), strategy, seed, maxTrials, budget.getMaxWallSeconds(), fMin, fMax);
        job.settings(budget.getPatience() == null ? 0 : budget.getPatience(), Boolean.TRUE.equals(req.getWarmStart()));
        Recovery recovery = req.getRecovery() == null ? new Recovery() : req.getRecovery();
        ValidationSplit validation = req.getValidation();
        job.recovery(validation == null ? null : validation.getFraction(),
                validation == null ? null : validation.getSeed() == null ? 0L : validation.getSeed(),
                recovery.getBnRecalibration() == null || recovery.getBnRecalibration(),
                Boolean.TRUE.equals(recovery.getDistillation()),
                recovery.getInheritWeights() == null || recovery.getInheritWeights(), req.getUsefulnessDrop());
        job.polish(fFinal, fidelity.getPolishTop() == null ? DEFAULT_POLISH_TOP : fidelity.getPolishTop());
        if (req.getPurpose() != null) job.purpose(req.getPurpose().getValue());
        job.runtimes(Runtimes.join(runtimes));
        if (model.profiled()) {
            job.moveTo(JobState.RUNNING);
        } else {
            tasks.ensureProfile(model.id());
        }
        return toDto(jobs.save(job), false);
    }

    /**
     * The job's runtimes: those asked for, each offered by some target device, or by default every
     * runtime a target device offers that is not emulated, in the default order (the first steers the search).
     */
    static List<String> runtimes(List<String> asked, Map<UUID, List<DeviceRuntime>> offered) {
        Set<String> all = offered.values().stream().flatMap(List::stream).map(DeviceRuntime::getName)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        // an emulated runtime (e.g. ARM under qemu) never enters a frontier: measured only when asked for
        Set<String> real = offered.values().stream().flatMap(List::stream).filter(r -> !Boolean.TRUE.equals(r.getEmulated()))
                .map(DeviceRuntime::getName).collect(Collectors.toCollection(LinkedHashSet::new));
        if (asked == null || asked.isEmpty()) return Runtimes.inDefaultOrder(real.isEmpty() ? all : real);
        for (int i = 0; i < asked.size(); i++) {
            if (!all.contains(asked.get(i))) {
                throw ApiException.unprocessable("runtimes[" + i + "]", "no target device offers runtime " + asked.get(i)
                        + " (they offer " + Runtimes.inDefaultOrder(all) + ")");
            }
        }
        return List.copyOf(new LinkedHashSet<>(asked));
    }

    /** The trials with latencies on the runtime that steers the job's search (all runtimes kept aside). */
    List<TrialView> views(JobEntity job) {
        return trials.views(job.getId(), steering(job));
    }

    static String steering(JobEntity job) {
        return Runtimes.parse(job.getRuntimes()).get(0);
    }

    @Transactional(readOnly = true)
    public String steeringRuntime(UUID jobId) {
        return steering(find(jobId));
    }

    @Transactional(readOnly = true)
    public Job get(UUID id) {
        return toDto(find(id), true);
    }

    @Transactional(readOnly = true)
    public JobPage list(int page, int size, dev.frontier.coordinator.api.model.JobState status) {
        PageRequest request = PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt"));
        Page<JobEntity> result = status == null ? jobs.findAll(request) : jobs.findByState(JobState.valueOf(status.name()), request);
        return new JobPage(result.map(j -> toDto(j, false)).toList(), page, size, result.getTotalElements());
    }

    @Transactional
    public Job cancel(UUID id) {
        JobEntity job = jobs.lockById(id).orElseThrow(() -> ApiException.notFound("job", id));
        if (job.getState() == JobState.CANCELLED) return toDto(job, false);
        if (job.getState().isFinal()) throw ApiException.conflict("job " + id + " already " + job.getState());
        boolean wasProfiling = job.getState() == JobState.PROFILING;
        job.moveTo(JobState.CANCELLED);
        trials.cancelUnfinished(id, false);
        tasks.cancelJob(id);
        jobs.flush();
        if (wasProfiling && jobs.findByModelIdAndState(job.getModelId(), JobState.PROFILING).isEmpty()) {
            tasks.cancelQueuedProfile(job.getModelId());
        }
        return toDto(jobs.findById(id).orElseThrow(), false);
    }

    @Transactional(readOnly = true)
    public Frontier frontier(UUID id) {
        JobEntity job = find(id);
        List<TrialView> views = views(job);
        return frontiers.frontier(target(job, views), views);
    }

    public void requireExists(UUID id) {
        if (!jobs.existsById(id)) throw ApiException.notFound("job", id);
    }

    /**
     * The job's goal and frontier facts. The baseline is trial 0, the dense model built and measured
     * for real: its validation accuracy anchors the floors, its test accuracy is reported. Until it is
     * built there is none (the contract's model profile carries no accuracy of the dense model).
     */
    FrontierService.Target target(JobEntity job, List<TrialView> views) {
        Optional<TrialView> base = views.stream().filter(t -> t.seq() == 0 && t.accuracy() != null).findFirst();
        Double selection = base.map(TrialView::selectionAccuracy).orElse(null);
        Double test = base.map(TrialView::accuracy).orElse(null);
        return new FrontierService.Target(job.getId(), List.copyOf(job.getDeviceIds()), goal(job, selection), test,
                job.getFidelityMax(), slots(job));
    }

    /** The (device, runtime) pairs the job measures on: each job runtime on each target device offering it. */
    List<FrontierService.Slot> slots(JobEntity job) {
        Map<UUID, List<DeviceRuntime>> offered = devices.runtimes(job.getDeviceIds());
        List<FrontierService.Slot> out = new ArrayList<>();
        for (UUID device : job.getDeviceIds()) {
            Set<String> names = offered.getOrDefault(device, List.of()).stream().map(DeviceRuntime::getName).collect(Collectors.toSet());
            for (String r : Runtimes.parse(job.getRuntimes())) {
                if (names.contains(r)) out.add(new FrontierService.Slot(device, r));
            }
        }
        return out;
    }

    /** The job's one goal ({@link Goal}) with the given validation baseline. */
    static Goal goal(JobEntity job, Double baselineValidationAccuracy) {
        double usefulness = job.getUsefulnessDrop() != null ? job.getUsefulnessDrop()
                : Goal.defaultUsefulnessDrop(job.getMaxAccuracyDrop());
        return new Goal(job.getLatencyTargetMs(), job.getMaxAccuracyDrop(), baselineValidationAccuracy, usefulness);
    }

    /** The job's fidelity.max, for telling callers which trials ran at full fidelity. */
    @Transactional(readOnly = true)
    public double fidelityMax(UUID jobId) {
        return find(jobId).getFidelityMax();
    }

    static SearchSpaces.Narrowing narrowing(SearchSpace s) {
        if (s == null) return null;
        return new SearchSpaces.Narrowing(s.getSchemes() == null ? null : s.getSchemes().stream().map(Scheme::getValue).toList(),
                s.getRates(), s.getQuantizeBits() == null ? null : s.getQuantizeBits().stream().map(b -> b.getValue()).toList(), s.getLayers());
    }

    private JobEntity find(UUID id) {
        return jobs.findById(id).orElseThrow(() -> ApiException.notFound("job", id));
    }

    private Job toDto(JobEntity j, boolean detailed) {
        Job dto = new Job(j.getId(), j.getModelId(), List.copyOf(j.getDeviceIds()),
                dev.frontier.coordinator.api.model.JobState.valueOf(j.getState().name()))
                .latencyTargetMs(j.getLatencyTargetMs())
                .maxAccuracyDrop(j.getMaxAccuracyDrop())
                .objectives(java.util.Arrays.stream(j.getObjectives().split(",")).map(Objective::valueOf).toList())
                .searchSpace(Json.read(j.getSearchSpace(), SearchSpace.class))
                .strategy(Strategy.fromValue(j.getStrategy()))
                .seed(j.getSeed())
                .budget(new Budget().maxTrials(j.getMaxTrials()).maxWallSeconds(j.getMaxWallSeconds()).patience(j.getPatience()))
                .warmStart(j.isWarmStart())
                .fidelity(new Fidelity().min(j.getFidelityMin()).max(j.getFidelityMax())._final(j.getFidelityFinal())
                        .polishTop(j.getPolishTop()))
                .validation(j.getValidationFraction() == null ? null
                        : new ValidationSplit(j.getValidationFraction()).seed(j.getValidationSeed()))
                .recovery(new Recovery().bnRecalibration(j.isBnRecalibration()).distillation(j.isDistillation())
                        .inheritWeights(j.isInheritWeights()))
                .usefulnessDrop(j.getUsefulnessDrop() != null ? j.getUsefulnessDrop()
                        : Goal.defaultUsefulnessDrop(j.getMaxAccuracyDrop()))
                .purpose(JobPurpose.fromValue(j.getPurpose()))
                .runtimes(Runtimes.parse(j.getRuntimes()))
                .error(j.getError())
                .createdAt(Times.utc(j.getCreatedAt()))
                .finishedAt(Times.utc(j.getFinishedAt()));
        return dto.progress(progress(j, detailed));
    }

    private JobProgress progress(JobEntity j, boolean detailed) {
        Map<TrialState, Long> c = trials.counts(j.getId());
        int done = c.getOrDefault(TrialState.DONE, 0L).intValue();
        int failed = c.getOrDefault(TrialState.FAILED, 0L).intValue();
        int running = (int) (c.getOrDefault(TrialState.BUILDING, 0L) + c.getOrDefault(TrialState.BUILT, 0L)
                + c.getOrDefault(TrialState.MEASURING, 0L));
        JobProgress p = new JobProgress().done(done).failed(failed).running(running)
                .queued(c.getOrDefault(TrialState.QUEUED, 0L).intValue())
                .cancelled(c.getOrDefault(TrialState.CANCELLED, 0L).intValue())
                .total(j.getTrialsProposed())
                .stopReason(j.getStopReason() == null ? null : StopReason.fromValue(j.getStopReason()))
                .etaSeconds(eta(j, done + failed))
                .stage(j.isPolishStarted() ? JobProgress.StageEnum.POLISH : JobProgress.StageEnum.SEARCH);
        if (!j.getState().isFinal()) p.waitingForDevices(devices.offline(j.getDeviceIds()));
        if (detailed && done > 0) {
            List<TrialView> views = views(j);
            FrontierService.Target target = target(j, views);
            p.baselineAccuracy(target.baselineTestAccuracy());
            boolean bestEffort = false;
            boolean noUseful = false;
            DeviceFrontier first = null;
            // progress follows the runtime the search steers by
            for (UUID device : j.getDeviceIds()) {
                DeviceFrontier df = frontiers.device(target, device, views);
                if (first == null) first = df;
                bestEffort |= Boolean.TRUE.equals(df.getBestEffort());
                noUseful |= Boolean.TRUE.equals(df.getNoUsefulTrial());
            }
            p.bestSoFar(first.getRecommended()).bestEffort(bestEffort).noUsefulTrial(noUseful);
        }
        return p;
    }

    /** Remaining trials at the pace so far, capped by the wall-clock budget; null before any result. */
    private static Long eta(JobEntity j, int finished) {
        if (j.getState().isFinal()) return 0L;
        if (j.getStartedAt() == null || finished == 0) return null;
        double perTrial = Duration.between(j.getStartedAt(), Instant.now()).toMillis() / 1000.0 / finished;
        long eta = Math.round(perTrial * Math.max(0, j.getMaxTrials() - finished));
        if (j.getMaxWallSeconds() != null) {
            long left = j.getMaxWallSeconds() - Duration.between(j.getStartedAt(), Instant.now()).toSeconds();
            eta = Math.min(eta, Math.max(0, left));
        }
        return eta;
    }

    /** For the workflow: jobs waiting on this model's profile. */
    List<JobEntity> profiling(UUID modelId) {
        return new ArrayList<>(jobs.findByModelIdAndState(modelId, JobState.PROFILING));
    }

    public static void requireFinite(String field, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw ApiException.badRequest(field, field + " must be a finite number");
        }
    }
}
