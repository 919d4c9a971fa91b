package dev.frontier.coordinator.job;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.frontier.coordinator.api.model.Scheme;
import dev.frontier.coordinator.lease.TaskService;
import dev.frontier.coordinator.model.ModelService;
import dev.frontier.coordinator.search.Proposal;
import dev.frontier.coordinator.search.SearchHistory;
import dev.frontier.coordinator.search.SearchSpace;
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
 * One step of a running job: keep a few trials in flight until the budget is spent, then
 * complete the job once nothing is in flight. The strategy only proposes; this class owns the
 * budget, the baseline trial and the queue, so every strategy gets the same orchestration.
 */
@Component
public class SearchStepper {
    private final JobRepository jobs;
    private final TrialService trials;
    private final TaskService tasks;
    private final ModelService models;
    private final int maxInFlight;

    SearchStepper(JobRepository jobs, TrialService trials, TaskService tasks, ModelService models, FrontierProperties props) {
        this.jobs = jobs;
        this.trials = trials;
        this.tasks = tasks;
        this.models = models;
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
        boolean wallOver = job.wallTimeOver(Instant.now());
        if (wallOver && counts.getOrDefault(TrialState.QUEUED, 0L) > 0) {
            List<UUID> dropped = trials.cancelUnfinished(jobId, true);
            tasks.cancelQueued(dropped);
            inFlight -= dropped.size();
        }
        int left = job.getMaxTrials() - job.getTrialsProposed();
        if (!wallOver && left > 0 && inFlight < maxInFlight) {
            return propose(job, (int) Math.min(maxInFlight - inFlight, left));
        }
        if (inFlight == 0 && (left <= 0 || wallOver)) job.moveTo(JobState.COMPLETED);
        return 0;
    }

    private int propose(JobEntity job, int n) {
        List<TrialService.NewTrial> batch = new ArrayList<>();
        int seq = job.getTrialsProposed();
        if (seq == 0) {
            // trial 0 is the dense model, unfine-tuned: baseline accuracy and latency measured for real
            batch.add(new TrialService.NewTrial(seq++, Map.of(), 0.0));
            n--;
        }
        if (n > 0) {
            List<TrialView> views = trials.views(job.getId());
            List<TrialResult> results = views.stream().filter(v -> v.state().isFinal())
                    .map(v -> new TrialResult(v.seq(), v.config(), v.fidelity(), v.state() != TrialState.DONE, v.accuracy(),
                            v.sizeBytes(), v.latencyMs()))
                    .toList();
            SearchSpace space = SearchSpaces.fromProfile(models.info(job.getModelId()).map(ModelService.ModelInfo::profile).orElse(null),
                    narrowing(job));
            SearchStrategy strategy = Strategies.create(job.getStrategy(), job.getSeed(), job.getTrialsProposed());
            strategy.observe(results);
            List<Map<String, Object>> proposed = views.stream().map(TrialView::config).toList();
            SearchHistory history = new SearchHistory(space, job.getFidelityMin(), job.getFidelityMax(), job.getTrialsProposed(),
                    results, proposed);
            for (Proposal p : strategy.propose(history, n)) batch.add(new TrialService.NewTrial(seq++, p.config(), p.fidelity()));
        }
        if (batch.isEmpty()) {
            // the space is exhausted: spend no more budget
            job.proposed(job.getMaxTrials() - job.getTrialsProposed());
            return 0;
        }
        List<UUID> ids = trials.create(job.getId(), batch);
        tasks.enqueueBuilds(job.getId(), ids);
        job.proposed(batch.size());
        return batch.size();
    }

    private static SearchSpaces.Narrowing narrowing(JobEntity job) {
        dev.frontier.coordinator.api.model.SearchSpace s = Json.read(job.getSearchSpace(), dev.frontier.coordinator.api.model.SearchSpace.class);
        if (s == null) return null;
        return new SearchSpaces.Narrowing(s.getSchemes() == null ? null : s.getSchemes().stream().map(Scheme::getValue).toList(),
                s.getRates(), s.getQuantizeBits() == null ? null : s.getQuantizeBits().stream().map(b -> b.getValue()).toList(), s.getLayers());
    }
}
