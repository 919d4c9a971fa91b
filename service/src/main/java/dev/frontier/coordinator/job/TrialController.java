package dev.frontier.coordinator.job;

import java.util.UUID;

import org.springframework.core.io.Resource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import dev.frontier.coordinator.api.TrialsApi;
import dev.frontier.coordinator.api.model.Trial;
import dev.frontier.coordinator.api.model.TrialPage;
import dev.frontier.coordinator.artifact.ArtifactStore;
import dev.frontier.coordinator.artifact.Artifacts;
import dev.frontier.coordinator.search.SearchHistory;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.trial.TrialService;
import dev.frontier.coordinator.trial.TrialState;

/**
 * A job's trials over HTTP. It sits with the jobs, not in trial/, because a trial's full fidelity
 * depends on its job's fidelity.max: trial/ stays below job/ (ArchitectureTest).
 */
@RestController
class TrialController implements TrialsApi {
    private final TrialService trials;
    private final JobService jobs;
    private final ArtifactStore artifacts;

    TrialController(TrialService trials, JobService jobs, ArtifactStore artifacts) {
        this.trials = trials;
        this.jobs = jobs;
        this.artifacts = artifacts;
    }

    @Override
    public ResponseEntity<TrialPage> listTrials(UUID jobId, Integer page, Integer size, String sort,
            dev.frontier.coordinator.api.model.TrialState state) {
        jobs.requireExists(jobId);
        TrialState s = state == null ? null : TrialState.valueOf(state.name());
        TrialPage result = trials.page(jobId, page == null ? 0 : page, size == null ? 50 : size, sort, s);
        double fidelityMax = jobs.fidelityMax(jobId);
        result.getItems().forEach(t -> full(t, fidelityMax));
        return ResponseEntity.ok(result);
    }

    @Override
    public ResponseEntity<Trial> getTrial(UUID trialId) {
        Trial t = trials.get(trialId);
        return ResponseEntity.ok(full(t, jobs.fidelityMax(t.getJobId())));
    }

    private static Trial full(Trial t, double fidelityMax) {
        return t.fullFidelity(SearchHistory.fullFidelity(t.getFidelity() == null ? 0 : t.getFidelity(), t.getConfig(), fidelityMax));
    }

    @Override
    public ResponseEntity<Resource> downloadTrialArtifact(UUID trialId, String format) {
        String sha = "onnx".equals(format) ? onnxSha256(trialId) : trials.artifactSha256(trialId);
        byte[] bytes = artifacts.content(sha).orElseThrow(() -> ApiException.notFound("artifact", sha));
        return Artifacts.download(bytes, sha);
    }

    /** The ONNX export a worker uploaded beside the Frontier artifact (build metrics' onnxSha256). */
    private String onnxSha256(UUID trialId) {
        var metrics = trials.get(trialId).getBuildMetrics();
        String s = metrics == null ? null : metrics.getOnnxSha256();
        if (s == null || !s.matches("[0-9a-f]{64}")) {
            throw ApiException.notFound("ONNX export of trial", trialId + " (not built yet, or the worker could not export it)");
        }
        return s;
    }
}
