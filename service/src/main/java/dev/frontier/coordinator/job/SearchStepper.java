package dev.frontier.coordinator.job;

import dev.frontier.coordinator.search.Configs;

import dev.frontier.coordinator.api.model.CompressionConfig;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.frontier.coordinator.api.model.HypervolumePoint;
import dev.frontier.coordinator.api.model.SearchSpace;
import dev.frontier.coordinator.frontier.FrontierService;
import dev.frontier.coordinator.lease.TaskService;
import dev.frontier.coordinator.model.ModelService;
import dev.frontier.coordinator.search.Proposal;
import dev.frontier.coordinator.search.SearchHistory;
import dev.frontier.coordinator.search.SearchSpaces;
import dev.frontier.coordinator.search.SearchStrategy;
import dev.frontier.coordinator.search.Strategies;
import dev.frontier.coordinator.search.TrialResult;
import dev.frontier.coordinator.system.FrontierProperties;
import dev.frontier.coordinator.system.Json;
import dev.frontier.coordinator.trial.TrialService;
import dev.frontier.coordinator.trial.TrialState;
import dev.frontier.coordinator.trial.TrialView;

/**
 * One step of a running job: keep a few trials in flight until the search stops, then complete
 * the job once nothing is in flight. The strategy only proposes; this class owns the budget
 * (maxTrials, wall time, patience), the baseline trial and the queue, so every strategy gets the
 * same orchestration. Stopping never cuts a trial already running: its result still counts.
 */
@Component
public class SearchStepper {
    static final String BUDGET = "BUDGET";
    static final String WALL_TIME = "WALL_TIME";
    static final String PATIENCE = "PATIENCE";
    static final String SPACE_EXHAUSTED = "SPACE_EXHAUSTED";
    /** Warm start reads at most this many earlier jobs. */
    private static final int WARM_JOBS = 10;
    private final JobRepository jobs;
    private final JobService jobService;
    private final TrialService trials;
    private final TaskService tasks;
    private final ModelService models;
    private final FrontierService frontiers;
    private final int maxInFlight;

    SearchStepper(JobRepository jobs, JobService jobService, TrialService trials, TaskService tasks, ModelService models,
            FrontierService frontiers, FrontierProperties props) {
        this.jobs = jobs;
        this.jobService = jobService;
        this.trials = trials;
        this.tasks = tasks;
        this.models = models;
        this.frontiers = frontiers;
        this.maxInFlight = props.search().maxInFlight();
    }

    public List<UUID> runningJobs() {
        return jobs.idsInState(JobState.RUNNING);
    }

    /** Returns how many trials were proposed. */
    @Transactional
    public int step(UUID jobId) {
        JobEntity job = jobs.lockById(jobId).orElse(null);
        if (job == null || job.getState() != JobState.RUNNING) return 0;
        Map<TrialState, Long> counts = trials.counts(jobId);
        long inFlight = TrialState.unfinished().stream().mapToLong(s -> counts.getOrDefault(s, 0L)).sum();
        if (job.getStopReason() == null && job.wallTimeOver(Instant.now())) job.stop(WALL_TIME);
        List<TrialView> views = null;
        if (job.getStopReason() == null && job.getPatience() > 0) {
            views = jobService.views(job);
            if (stalled(job, views)) job.stop(PATIENCE);
        }
        // out of time or out of patience: drop what has not started. A spent budget (every trial
        // proposed) or an exhausted space still lets the proposed trials run.
        boolean dropQueued = !job.isPolishStarted()
                && (WALL_TIME.equals(job.getStopReason()) || PATIENCE.equals(job.getStopReason()));
        if (dropQueued && counts.getOrDefault(TrialState.QUEUED, 0L) > 0) {
            List<UUID> dropped = trials.cancelUnfinished(jobId, true);
            tasks.cancelQueued(dropped);
            inFlight -= dropped.size();
        }
        int left = job.getMaxTrials() - job.getTrialsProposed();
        if (job.getStopReason() == null && left > 0 && inFlight < maxInFlight) {
            int proposed = propose(job, (int) Math.min(maxInFlight - inFlight, left), views);
            if (proposed > 0) return proposed;
            // nothing to propose and nothing that could change the strategy's mind: the space is spent
            if (inFlight == 0) job.stop(SPACE_EXHAUSTED);
        }
        if (left <= 0) job.stop(BUDGET);
        if (inFlight == 0 && job.getStopReason() != null) {
            if (job.wantsPolish() && !job.isPolishStarted()) {
                job.startPolish();
                int polished = polish(job, views != null ? views : jobService.views(job));
                if (polished > 0) return polished;
            }
            job.moveTo(JobState.COMPLETED);
        }
        return 0;
    }

    /**
     * The polish stage: the recommended point of every target device, then the frontier points whose
     * latency is nearest the target, up to polishTop, are fine-tuned on to fidelity.final (continuing
     * from their own weights, distilling from the dense model) and measured again. Useful points come
     * before collapsed ones; the dense baseline is never polished. Returns how many trials it queued.
     */
    private int polish(JobEntity job, List<TrialView> views) {
        FrontierService.Target target = jobService.target(job, views);
        java.util.LinkedHashSet<Integer> chosen = new java.util.LinkedHashSet<>();
        List<dev.frontier.coordinator.api.model.FrontierPoint> near = new ArrayList<>();
        for (UUID device : job.getDeviceIds()) {
            var df = frontiers.device(target, device, views);
            if (df.getRecommended() != null) chosen.add(df.getRecommended().getSeq());
            near.addAll(df.getPoints());
        }
        near.sort(java.util.Comparator.comparingDouble(p -> Math.abs(Math.log(p.getLatencyMs() / job.getLatencyTargetMs()))));
        // useful points first; collapsed ones only fill what is left: a longer fine-tune may bring them back
        for (var p : near) {
            if (Boolean.TRUE.equals(p.getUseful())) chosen.add(p.getSeq());
        }
        for (var p : near) chosen.add(p.getSeq());
        Map<Integer, TrialView> bySeq = new java.util.HashMap<>();
        views.forEach(v -> bySeq.put(v.seq(), v));
        List<TrialService.NewTrial> batch = new ArrayList<>();
        int seq = job.getTrialsProposed();
        for (int s : chosen) {
            TrialView v = bySeq.get(s);
            if (batch.size() >= job.getPolishTop() || v == null || Configs.isDense(v.config())) continue;
            TrialService.Inherit inherit = job.isInheritWeights() && v.checkpointSha256() != null
                    ? new TrialService.Inherit(v.seq(), v.checkpointSha256(), v.fidelity()) : null;
            batch.add(new TrialService.NewTrial(seq++, v.config(), job.getFidelityFinal(), v.seq(), inherit, true));
        }
        if (batch.isEmpty()) return 0;
        List<UUID> ids = trials.create(job.getId(), batch);
        tasks.enqueueBuilds(job.getId(), ids);
        job.proposed(batch.size());
        return batch.size();
    }

    /**
     * Patience: the summed hypervolume over the job's devices has not grown during the last
     * {@code patience} full-fidelity results (in the order they finished on the first device). The dense baseline does not count, so the first
     * feasible point is never where the search stops: it has to stay the best for K more trials.
     */
    private boolean stalled(JobEntity job, List<TrialView> views) {
        FrontierService.Target target = jobService.target(job, views);
        Map<Integer, Double> total = new java.util.HashMap<>();
        List<Integer> order = new ArrayList<>();
        for (UUID device : job.getDeviceIds()) {
            List<TrialView> measured = views.stream()
                    .filter(t -> t.selectionAccuracy() != null && t.latencyMs().containsKey(device) && target.fullFidelity(t)).toList();
            for (HypervolumePoint p : frontiers.hypervolumeHistory(target, device, views, measured)) {
                if (device.equals(job.getDeviceIds().iterator().next())) order.add(p.getSeq());
                total.merge(p.getSeq(), p.getHypervolume(), Double::sum);
            }
        }
        double best = Double.NEGATIVE_INFINITY;
        int since = 0;
        for (int seq : order) {
            double hv = total.getOrDefault(seq, 0.0);
            if (hv > best + 1e-12) {
                best = hv;
                since = 0;
            } else if (seq != 0) {
                since++;
            }
        }
        return since >= job.getPatience();
    }

    private int propose(JobEntity job, int n, List<TrialView> known) {
        List<TrialService.NewTrial> batch = new ArrayList<>();
        int seq = job.getTrialsProposed();
        if (seq == 0) {
            // trial 0 is the dense model, unfine-tuned: baseline accuracy and latency measured for real
            batch.add(new TrialService.NewTrial(seq++, new CompressionConfig(), 0.0));
            n--;
        }
        if (n > 0) {
            List<TrialView> views = known != null ? known : jobService.views(job);
            dev.frontier.coordinator.api.model.ModelProfile profile = models.info(job.getModelId()).map(ModelService.ModelInfo::profile).orElse(null);
            FrontierService.Target target = jobService.target(job, views);
            dev.frontier.coordinator.search.SearchSpace space = SearchSpaces.fromProfile(profile,
                    JobService.narrowing(Json.read(job.getSearchSpace(), SearchSpace.class)),
                    SearchSpaces.DESTRUCTIVE_FACTOR * target.goal().usefulnessDrop());
            SearchStrategy strategy = Strategies.forJob(job.getStrategy(), job.getSeed(), job.getTrialsProposed());
            if (job.isWarmStart()) strategy.observe(earlierResults(job));
            List<TrialResult> results = results(views, Set.copyOf(job.getDeviceIds()));
            strategy.observe(results);
            // the baseline may be in this very batch: the strategy must count it against the budget
            List<SearchHistory.Proposed> proposed = new ArrayList<>(
                    views.stream().map(v -> new SearchHistory.Proposed(v.seq(), v.config(), v.fidelity(), v.promotedFrom())).toList());
            if (seq == 1) {
                for (TrialService.NewTrial anchor : quantizationAnchors(space, job.getFidelityMax(), seq, n)) {
                    batch.add(anchor);
                    seq++;
                    n--;
                }
            }
            for (TrialService.NewTrial t : batch) proposed.add(new SearchHistory.Proposed(t.seq(), t.config(), t.fidelity(), null));
            SearchHistory history = new SearchHistory(space, job.getFidelityMin(), job.getFidelityMax(), seq,
                    job.getMaxTrials(), target.goal(), results, proposed);
            Map<Integer, TrialView> bySeq = new java.util.HashMap<>();
            views.forEach(v -> bySeq.put(v.seq(), v));
            for (Proposal p : n > 0 ? strategy.propose(history, n) : List.<Proposal>of()) {
                batch.add(new TrialService.NewTrial(seq++, p.config(), p.fidelity(), p.promotedFrom(),
                        inherit(job, p, bySeq), false));
            }
        }
        if (batch.isEmpty()) return 0;
        List<UUID> ids = trials.create(job.getId(), batch);
        tasks.enqueueBuilds(job.getId(), ids);
        job.proposed(batch.size());
        return batch.size();
    }

    /**
     * Right after the dense baseline, the model quantized to each integer width of the space and not
     * pruned at all (fine-tuned to fidelity.max, so it counts on the frontier): the reference point a
     * deployer checks first, nearly free in accuracy, and on runtimes with integer kernels (the
     * generated C's VNNI path) already several times faster. Strategies start from combinations of
     * pruning and quantization and rarely propose it on their own.
     */
    static List<TrialService.NewTrial> quantizationAnchors(dev.frontier.coordinator.search.SearchSpace space, double fidelityMax,
            int firstSeq, int room) {
        List<TrialService.NewTrial> out = new ArrayList<>();
        for (int bits : space.quantizeBits()) {
            if (bits != 8 || out.size() >= room) continue; // int4 alone loses too much to be a reference point
            out.add(new TrialService.NewTrial(firstSeq + out.size(),
                    Configs.of(Map.of(), bits), fidelityMax));
        }
        return out;
    }

    /**
     * A promotion continues from its low-fidelity parent's fine-tuned weights (weight inheritance) when
     * the job allows it and the parent left a checkpoint; the build then adds only the missing epochs.
     */
    private static TrialService.Inherit inherit(JobEntity job, Proposal p, Map<Integer, TrialView> bySeq) {
        if (!job.isInheritWeights() || p.promotedFrom() == null) return null;
        TrialView parent = bySeq.get(p.promotedFrom());
        if (parent == null || parent.checkpointSha256() == null || parent.fidelity() > p.fidelity()) return null;
        return new TrialService.Inherit(parent.seq(), parent.checkpointSha256(), parent.fidelity());
    }

    /**
     * Finished trials as the strategy sees them, latencies limited to {@code devices}. Their accuracy
     * is the validation split's: the search never sees a test-split figure.
     */
    static List<TrialResult> results(List<TrialView> views, Set<UUID> devices) {
        return views.stream().filter(v -> v.state().isFinal() && !v.polish())
                .map(v -> new TrialResult(v.seq(), v.config(), v.fidelity(), v.state() != TrialState.DONE, v.selectionAccuracy(),
                        v.sizeBytes(), only(v.latencyMs(), devices), only(v.perLayerMs(), devices)))
                .toList();
    }

    private static <T> Map<UUID, T> only(Map<UUID, T> byDevice, Set<UUID> devices) {
        Map<UUID, T> out = new java.util.HashMap<>(byDevice);
        out.keySet().retainAll(devices);
        return out;
    }

    /**
     * Warm start: finished trials of earlier jobs on the same model that were measured on every
     * device of this job (a latency on another device says nothing here). Their seqs are made
     * negative so nothing mistakes them for this job's trials.
     */
    private List<TrialResult> earlierResults(JobEntity job) {
        Set<UUID> devices = Set.copyOf(job.getDeviceIds());
        List<TrialResult> out = new ArrayList<>();
        for (JobEntity earlier : jobs.earlierOnModel(job.getModelId(), job.getId(), job.getCreatedAt(), PageRequest.of(0, WARM_JOBS))) {
            if (!earlier.getDeviceIds().containsAll(devices)) continue;
            for (TrialResult r : results(trials.views(earlier.getId(), JobService.steering(job)), devices)) {
                if (r.failed() || r.latencyMs().size() < devices.size()) continue;
                out.add(new TrialResult(-1 - out.size(), r.config(), r.fidelity(), false, r.accuracy(), r.sizeBytes(),
                        r.latencyMs(), r.perLayerMs()));
            }
        }
        return out;
    }
}
