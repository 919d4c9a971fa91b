package dev.frontier.worker.agent;

import dev.frontier.worker.build.Recovery;
import dev.frontier.worker.contract.CompressionConfig;

import tools.jackson.databind.JsonNode;

/**
 * A granted lease (openapi Lease), as the worker needs it; {@code config} is the contract's type (null for
 * PROFILE and MEASURE). {@code validation} is null when the job
 * uses the dataset's own validation split; {@code inherit} is null when the build starts from the
 * job's model; {@code recovery} is never null (the defaults when the coordinator sent none).
 */
public record Lease(String id, String kind, long taskId, String trialId, String jobId, String modelId,
                    String modelSha256, String datasetName, String datasetKind, CompressionConfig config, double fidelity,
                    String deviceId, String artifactSha256, int attempt, Validation validation, Inherit inherit,
                    Recovery recovery, String datasetSha256, String runtime) {

    public Lease(String id, String kind, long taskId, String trialId, String jobId, String modelId,
                 String modelSha256, String datasetName, String datasetKind, CompressionConfig config, double fidelity,
                 String deviceId, String artifactSha256, int attempt, Validation validation, Inherit inherit,
                 Recovery recovery, String datasetSha256) {
        this(id, kind, taskId, trialId, jobId, modelId, modelSha256, datasetName, datasetKind, config, fidelity, deviceId,
                artifactSha256, attempt, validation, inherit, recovery, datasetSha256, "frontier-jvm");
    }

    /** A seeded carve of {@code fraction} of the training data (openapi ValidationSplit). */
    public record Validation(double fraction, long seed) {
    }

    /** The fine-tuned parent to continue from (openapi Inheritance). */
    public record Inherit(int seq, String checkpointSha256, double fidelity) {
    }

    public Lease(String id, String kind, long taskId, String trialId, String jobId, String modelId,
                 String modelSha256, String datasetName, String datasetKind, CompressionConfig config, double fidelity,
                 String deviceId, String artifactSha256, int attempt) {
        this(id, kind, taskId, trialId, jobId, modelId, modelSha256, datasetName, datasetKind, config, fidelity,
                deviceId, artifactSha256, attempt, null, null, Recovery.DEFAULTS, null);
    }

    static Lease from(JsonNode n) {
        JsonNode v = n.path("validation");
        Validation validation = v.path("fraction").isNumber()
                ? new Validation(v.path("fraction").asDouble(), v.path("seed").asLong(0)) : null;
        JsonNode i = n.path("inherit");
        Inherit inherit = text(i, "checkpointSha256") != null
                ? new Inherit(i.path("seq").asInt(), text(i, "checkpointSha256"), i.path("fidelity").asDouble(0)) : null;
        JsonNode r = n.path("recovery");
        Recovery recovery = r.isObject()
                ? new Recovery(r.path("bnRecalibration").asBoolean(Recovery.DEFAULTS.bnRecalibration()),
                        r.path("distillation").asBoolean(Recovery.DEFAULTS.distillation()))
                : Recovery.DEFAULTS;
        return new Lease(n.path("id").asString(), n.path("kind").asString(), n.path("taskId").asLong(),
                text(n, "trialId"), text(n, "jobId"), text(n, "modelId"), text(n, "modelSha256"),
                text(n.path("dataset"), "name"), text(n.path("dataset"), "kind"),
                n.path("config").isObject() ? CoordinatorClient.JSON.treeToValue(n.path("config"), CompressionConfig.class) : null,
                n.path("fidelity").asDouble(0), text(n, "deviceId"),
                text(n, "artifactSha256"), n.path("attempt").asInt(1), validation, inherit, recovery,
                text(n.path("dataset"), "sha256"), text(n, "runtime") == null ? "frontier-jvm" : text(n, "runtime"));
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
        return kind + " lease " + id + (trialId == null ? "" : " trial " + trialId)
                + ("MEASURE".equals(kind) ? " on " + runtime : "") + " attempt " + attempt;
    }
}
