package dev.frontier.worker.agent;

import tools.jackson.databind.JsonNode;

/** A granted lease (openapi Lease), as the worker needs it. */
public record Lease(String id, String kind, long taskId, String trialId, String jobId, String modelId,
                    String modelSha256, String datasetName, String datasetKind, JsonNode config, double fidelity,
                    String deviceId, String artifactSha256, int attempt) {

    static Lease from(JsonNode n) {
        return new Lease(n.path("id").asString(), n.path("kind").asString(), n.path("taskId").asLong(),
                text(n, "trialId"), text(n, "jobId"), text(n, "modelId"), text(n, "modelSha256"),
                text(n.path("dataset"), "name"), text(n.path("dataset"), "kind"),
                n.path("config"), n.path("fidelity").asDouble(0), text(n, "deviceId"),
                text(n, "artifactSha256"), n.path("attempt").asInt(1));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asString();
    }

    /** The dataset name the worker resolves locally; the model's dataset kind when no name is given. */
    public String dataset() {
        return datasetName != null ? datasetName : datasetKind != null ? datasetKind : "fashion-mnist";
    }

    @Override
    public String toString() {
        return kind + " lease " + id + (trialId == null ? "" : " trial " + trialId) + " attempt " + attempt;
    }
}
