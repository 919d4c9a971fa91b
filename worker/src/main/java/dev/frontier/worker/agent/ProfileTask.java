package dev.frontier.worker.agent;

import java.util.Map;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelProfile;
import tools.jackson.databind.node.ObjectNode;

/** PROFILE: what the coordinator needs to build a search space for a model. */
final class ProfileTask {
    private final ModelLoader models;

    ProfileTask(ModelLoader models) {
        this.models = models;
    }

    TaskResult run(Lease lease, Progress progress) throws TaskFailure {
        progress.report(0.1, "loading model");
        Graph g = models.load(lease);
        Map<String, Object> profile = ModelProfile.of(g);
        ObjectNode result = CoordinatorClient.JSON.valueToTree(profile);
        progress.report(1, "profiled " + g.nodes().size() + " layers");
        return new TaskResult(result, null);
    }
}
