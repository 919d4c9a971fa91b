package dev.frontier.worker.demo;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.frontier.worker.agent.CoordinatorClient;
import dev.frontier.worker.agent.CoordinatorException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Drives the demo through the public API only, like any user would: uploads the model, measures the
 * dense baseline on the device with a one-trial job, submits the search with a latency target that is
 * a fraction of that measured baseline, follows progress, and prints the frontier.
 */
public final class DemoDriver {
    private final CoordinatorClient api;
    private final PrintStream out;

    public DemoDriver(CoordinatorClient api, PrintStream out) {
        this.api = api;
        this.out = out;
    }

    /**
     * {@code fidelityFinal}: the polish stage's fine-tuning length (epochs; <= fidelityMax: no polish),
     * {@code polishTop}: how many points it polishes.
     */
    public record Settings(String deviceName, String modelName, byte[] model, String dataset, double targetFraction,
                           double maxAccuracyDrop, int maxTrials, long maxWallSeconds, double fidelityMin,
                           double fidelityMax, double fidelityFinal, int polishTop, String strategy, long seed,
                           java.util.List<String> runtimes) {
        Settings withRuntimes(List<String> r) {
            return new Settings(deviceName, modelName, model, dataset, targetFraction, maxAccuracyDrop, maxTrials,
                    maxWallSeconds, fidelityMin, fidelityMax, fidelityFinal, polishTop, strategy, seed, r);
        }
    }

    /** Those of {@code wanted} the device declares, in that order. */
    private List<String> offered(String deviceId, List<String> wanted) {
        List<String> has = api.get("devices/" + deviceId).path("runtimes").findValuesAsString("name");
        return wanted.stream().filter(has::contains).toList();
    }

    /**
     * Without --runtimes the search measures with the generated C (what the search steers by) and ONNX
     * Runtime (the peer), when the device offers them: every runtime more per trial costs measuring
     * time the search would otherwise spend on trials. The baseline is measured with all of them.
     */
    static final List<String> DEFAULT_RUNTIMES = List.of("frontier-native", "onnxruntime");

    /** Runs the demo; returns the finished job document. */
    public JsonNode run(Settings given) {
        String deviceId = waitForDevice(given.deviceName(), 180);
        Settings s = given.runtimes().isEmpty() ? given.withRuntimes(offered(deviceId, DEFAULT_RUNTIMES)) : given;
        ensureDataset(s.dataset());
        JsonNode model = api.postMultipart("models", Map.of("name", s.modelName(), "format", "frontier-ir",
                "inputShape", "1,28,28", "dataset", s.dataset()), s.modelName() + ".frir", s.model());
        String modelId = model.path("id").asString();
        out.printf("uploaded model %s (%s, %d bytes, sha256 %s...)%n", s.modelName(), modelId,
                model.path("sizeBytes").asLong(), model.path("sha256").asString().substring(0, 12));

        out.println("measuring the dense baseline on " + s.deviceName() + " (profile + one build + one measurement) ...");
        ObjectNode baselineJob = jobRequest(modelId, deviceId, 1e9, s.maxAccuracyDrop(), 1, 1800, 0, 0, "random", s.seed());
        baselineJob.put("purpose", "BASELINE"); // measured with every runtime the device offers
        JsonNode base = follow(api.post("jobs", baselineJob).path("id").asString());
        // the search's first runtime steers it: the target is a fraction of the dense model's latency with it
        JsonNode baseFrontier = api.get("jobs/" + base.path("id").asString() + "/frontier");
        JsonNode steering = baseFrontier.path("devices").path(0);
        for (JsonNode df : baseFrontier.path("devices")) {
            out.printf(Locale.ROOT, "  dense baseline with %-16s %s%n", df.path("runtime").asString("?"),
                    Numbers.ms(df.path("baselineLatencyMs").asDouble(Double.NaN)));
            if (!s.runtimes().isEmpty() && s.runtimes().get(0).equals(df.path("runtime").asString())) steering = df;
        }
        JsonNode basePoint = steering.path("recommended");
        double baselineMs = basePoint.path("latencyMs").asDouble(0);
        if (baselineMs <= 0) {
            throw new IllegalStateException("the baseline could not be measured; job state " + base.path("state").asString()
                    + (base.hasNonNull("error") ? ": " + base.path("error").asString() : "")
                    + " (see the worker log)");
        }
        double target = baselineMs * s.targetFraction();
        out.printf(Locale.ROOT, "baseline: accuracy %.2f %% test (%.2f %% validation), latency %s with %s -> latency target %s (%.0f %% of baseline)%n",
                basePoint.path("accuracy").asDouble(), basePoint.path("validationAccuracy").asDouble(Double.NaN),
                Numbers.ms(baselineMs), steering.path("runtime").asString("?"),
                Numbers.ms(target), 100 * s.targetFraction());

        ObjectNode req = jobRequest(modelId, deviceId, target, s.maxAccuracyDrop(), s.maxTrials(), s.maxWallSeconds(),
                s.fidelityMin(), s.fidelityMax(), s.strategy(), s.seed());
        if (s.fidelityFinal() > s.fidelityMax()) {
            ((ObjectNode) req.path("fidelity")).put("final", s.fidelityFinal()).put("polishTop", s.polishTop());
        }
        runtimes(req, s);
        String jobId = api.post("jobs", req).path("id").asString();
        out.println("search job " + jobId + " submitted (strategy " + s.strategy() + ", up to " + s.maxTrials()
                + " trials or " + s.maxWallSeconds() + " s"
                + (s.fidelityFinal() > s.fidelityMax() ? String.format(Locale.ROOT,
                        ", then the best %d fine-tuned to %.2g epochs", s.polishTop(), s.fidelityFinal()) : "") + ")");
        JsonNode job = follow(jobId);
        out.println();
        FrontierTable.print(api.get("jobs/" + jobId + "/frontier"), baselineMs, java.util.Map.of(deviceId, s.deviceName()), out);
        return job;
    }

    /** The demo's runtimes when given (else the job default: every runtime the device offers). */
    private static void runtimes(ObjectNode job, Settings s) {
        if (s.runtimes() != null && !s.runtimes().isEmpty()) {
            var arr = job.putArray("runtimes");
            s.runtimes().forEach(arr::add);
        }
    }

    private ObjectNode jobRequest(String modelId, String deviceId, double targetMs, double maxDrop, int maxTrials,
                                  long wallSeconds, double fMin, double fMax, String strategy, long seed) {
        ObjectNode j = CoordinatorClient.object();
        j.put("modelId", modelId);
        j.putArray("deviceIds").add(deviceId);
        j.put("latencyTargetMs", targetMs);
        j.put("maxAccuracyDrop", maxDrop);
        j.put("strategy", strategy);
        j.put("seed", seed);
        ObjectNode budget = j.putObject("budget");
        budget.put("maxTrials", maxTrials);
        budget.put("maxWallSeconds", wallSeconds);
        ObjectNode fidelity = j.putObject("fidelity");
        fidelity.put("min", fMin);
        fidelity.put("max", fMax);
        return j;
    }

    /**
     * Polls a job until it finishes, printing a progress line whenever the counts or the best point
     * change, and otherwise every 30 s (the ETA alone changes every poll and would flood the screen).
     */
    JsonNode follow(String jobId) {
        String last = "";
        long start = System.nanoTime();
        long lastPrint = start;
        while (true) {
            JsonNode job = api.get("jobs/" + jobId);
            String state = job.path("state").asString();
            JsonNode p = job.path("progress");
            String stage = "POLISH".equals(p.path("stage").asString()) && !state.equals("COMPLETED") ? " (polishing)" : "";
            String status = String.format(Locale.ROOT, "%-10s%s done %d, running %d, queued %d, failed %d%s", state, stage,
                    p.path("done").asInt(), p.path("running").asInt(), p.path("queued").asInt(), p.path("failed").asInt(),
                    p.path("noUsefulTrial").asBoolean() ? ", no useful trial yet" : best(p.path("bestSoFar")));
            long now = System.nanoTime();
            if (!status.equals(last) || now - lastPrint > 30_000_000_000L) {
                out.printf(Locale.ROOT, "[%4.0fs] %s%s%n", (now - start) / 1e9, status,
                        p.path("etaSeconds").isNumber() ? ", eta " + p.path("etaSeconds").asLong() + " s" : "");
                last = status;
                lastPrint = now;
            }
            if (state.equals("COMPLETED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                return job;
            }
            CoordinatorClient.sleep(2000);
        }
    }

    private static String best(JsonNode b) {
        if (b.isMissingNode() || b.isNull()) {
            return "";
        }
        return String.format(Locale.ROOT, ", best so far %.2f %% validation (%.2f %% test) at %s",
                b.path("validationAccuracy").asDouble(Double.NaN), b.path("accuracy").asDouble(),
                Numbers.ms(b.path("latencyMs").asDouble()));
    }

    private String waitForDevice(String name, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (true) {
            for (JsonNode d : api.get("devices")) {
                if (name.equals(d.path("name").asString()) && "ONLINE".equals(d.path("status").asString())) {
                    return d.path("id").asString();
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("device '" + name + "' has no online worker after " + seconds
                        + " s; is the worker running? (see its log)");
            }
            CoordinatorClient.sleep(1000);
        }
    }

    private void ensureDataset(String name) {
        ObjectNode d = CoordinatorClient.object();
        d.put("name", name);
        d.put("kind", name);
        try {
            api.post("datasets", d);
        } catch (CoordinatorException e) {
            if (e.status() != 409) {
                throw e;
            }
        }
    }
}
