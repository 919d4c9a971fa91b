package dev.frontier.worker.agent;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.frontier.worker.contract.ProfileLayer;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.profile.ModelProfile;
import dev.frontier.worker.profile.Sensitivity;

/**
 * PROFILE: what the coordinator needs to build a search space for a model: its layers and the
 * schemes that fit them, and, when the model's dataset is available here, each layer's sensitivity
 * (accuracy with that layer alone pruned, BN recalibrated), which caps the rates the search tries.
 */
final class ProfileTask {
    private final ModelLoader models;
    private final AgentConfig config;
    private final LeaseDatasets datasets;

    ProfileTask(ModelLoader models, ArtifactCache cache, AgentConfig config) {
        this.models = models;
        this.config = config;
        this.datasets = new LeaseDatasets(cache, config.workDir());
    }

    TaskResult run(Lease lease, Progress progress) throws TaskFailure {
        progress.report(0.05, "loading model");
        Graph g = models.load(lease);
        dev.frontier.worker.contract.ModelProfile profile = ModelProfile.of(g);
        DataSplits data = splits(lease);

        if (data != null) {
            try {
                int images = config.evalLimit() > 0 ? Math.min(config.evalLimit(), Sensitivity.DEFAULT_IMAGES)
                        : Sensitivity.DEFAULT_IMAGES;
                Sensitivity.Result s = Sensitivity.profile(g, data, images, 0,
                        (f, what) -> progress.report(0.1 + 0.85 * f, what));
                attach(profile, s);
            } catch (IllegalArgumentException e) {
                // a dataset that does not fit the model is the BUILD's error to report; the profile stays usable
                Agent.log("no sensitivity profile: " + e.getMessage());
            }
        }
        progress.report(1, "profiled " + g.nodes().size() + " layers");
        return new TaskResult(profile, null);
    }

    static void attach(dev.frontier.worker.contract.ModelProfile profile, Sensitivity.Result s) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("baselineAccuracy", s.baselineAccuracy());
        info.put("images", s.images());
        info.put("split", "validation");
        info.put("method", "one layer pruned alone, batch norm recalibrated, no fine-tuning");
        profile.setSensitivity(info);
        for (ProfileLayer layer : profile.getLayers()) {
            Map<String, Map<String, Double>> l = s.layers().get(layer.getName());
            if (l != null) {
                layer.setSensitivity(l);
            }
        }
    }

    /** The model's dataset when this worker has it; null otherwise (the profile is still useful without). */
    private DataSplits splits(Lease lease) {
        if (lease.datasetName() == null && lease.datasetKind() == null) {
            return null;
        }
        try {
            return datasets.splits(lease);
        } catch (TaskFailure e) {
            Agent.log("no sensitivity profile: dataset '" + lease.dataset() + "' unavailable here: " + e.getMessage());
            return null;
        }
    }
}
