package dev.frontier.coordinator.job;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import dev.frontier.coordinator.support.Api;
import dev.frontier.coordinator.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Search orchestration end to end over HTTP: validation, multi-fidelity, patience, best effort, warm start. */
class SearchJobTest extends IntegrationTest {
    @Autowired
    SearchStepper stepper;

    private UUID builder;
    private UUID agent;
    private UUID dev;

    private void workers() {
        dev = device("d-" + UUID.randomUUID());
        builder = worker("b", null, "build");
        agent = worker("a", dev, "measure");
    }

    private Map<String, Object> job(UUID model, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("modelId", model.toString(), "deviceIds", List.of(dev.toString()),
                "latencyTargetMs", 5.0, "maxAccuracyDrop", 1.0, "seed", 3));
        body.putAll(extra);
        return body;
    }

    /** A model whose profile is stored (via a real PROFILE lease). */
    private UUID profiledModel() {
        UUID model = model("m-" + UUID.randomUUID());
        Api.Response r = api.post("/api/v1/jobs", job(model, Map.of("budget", Map.of("maxTrials", 1))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        profile();
        api.post("/api/v1/jobs/" + r.id() + "/cancel", "");
        return model;
    }

    private void profile() {
        JsonNode lease = lease(builder, 1).json().path("leases").get(0);
        assertThat(lease.path("kind").asString()).isEqualTo("PROFILE");
        assertThat(api.post("/api/v1/leases/" + lease.path("id").asString() + "/complete",
                Map.of("workerId", builder.toString(), "result", PROFILE)).status()).isEqualTo(200);
    }

    private static void problem(Api.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.text("field")).isEqualTo(field);
        assertThat(r.text("detail")).isNotBlank();
    }

    /** Runs the job to its end with fake workers: accuracy and latency are functions of the BUILD lease. */
    private JsonNode drive(UUID job, ToDoubleFunction<JsonNode> accuracy, ToDoubleFunction<JsonNode> latency) {
        Map<String, JsonNode> built = new HashMap<>();
        for (int round = 0; round < 200; round++) {
            stepper.step(job);
            JsonNode state = api.get("/api/v1/jobs/" + job).json();
            if (!state.path("state").asString().equals("RUNNING")) return state;
            for (JsonNode b : lease(builder, 10).json().path("leases")) {
                String sha = artifact("artifact " + b.path("trialId").asString());
                built.put(b.path("trialId").asString(), b);
                api.post("/api/v1/leases/" + b.path("id").asString() + "/complete", Map.of("workerId", builder.toString(),
                        "result", Map.of("accuracy", accuracy.applyAsDouble(b), "sizeBytes", 1000), "artifactSha256", sha));
            }
            JsonNode ms;
            while ((ms = lease(agent, 1).json().path("leases")).size() > 0) {
                JsonNode b = built.get(ms.get(0).path("trialId").asString());
                api.post("/api/v1/leases/" + ms.get(0).path("id").asString() + "/complete", Map.of("workerId", agent.toString(),
                        "result", Map.of("medianMs", latency.applyAsDouble(b))));
            }
        }
        throw new AssertionError("job did not finish");
    }

    @Test
    void searchSpaceProblemsNameTheField() {
        workers();
        UUID model = profiledModel();
        problem(api.post("/api/v1/jobs", job(model, Map.of("searchSpace", Map.of("schemes", List.of("pattern"), "layers", List.of("fc1"))))),
                "searchSpace.schemes[0]");
        problem(api.post("/api/v1/jobs", job(model, Map.of("searchSpace", Map.of("layers", List.of("conv1", "nope"))))),
                "searchSpace.layers[1]");
        problem(api.post("/api/v1/jobs", job(model, Map.of("searchSpace", Map.of("layers", List.of("relu1"))))), "searchSpace.layers[0]");
        problem(api.post("/api/v1/jobs", job(model, Map.of("searchSpace", Map.of("schemes", List.of("none"), "quantizeBits", List.of(0))))),
                "searchSpace");
        assertThat(api.post("/api/v1/jobs", job(model, Map.of("searchSpace", Map.of("quantizeBits", List.of(2))))).status()).isEqualTo(400);
        assertThat(api.post("/api/v1/jobs", job(model, Map.of("searchSpace", Map.of("rates", List.of(0.0))))).status()).isEqualTo(400);
        Api.Response ok = api.post("/api/v1/jobs", job(model, Map.of("strategy", "greedy", "searchSpace", Map.of("layers", List.of("conv1")))));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        api.post("/api/v1/jobs/" + ok.id() + "/cancel", "");

        // without a profile the layer cannot be checked yet: the job fails when the profile shows it
        UUID unprofiled = model("m2-" + UUID.randomUUID());
        Api.Response created = api.post("/api/v1/jobs", job(unprofiled, Map.of("searchSpace", Map.of("layers", List.of("nope")))));
        assertThat(created.status()).isEqualTo(201);
        profile();
        JsonNode failed = api.get("/api/v1/jobs/" + created.id()).json();
        assertThat(failed.path("state").asString()).isEqualTo("FAILED");
        assertThat(failed.path("error").asString()).contains("searchSpace.layers[0]").contains("nope");
    }

    @Test
    void multiFidelityPromotesAndTheFrontierUsesFullFidelityOnly() {
        workers();
        UUID model = profiledModel();
        UUID job = api.post("/api/v1/jobs", job(model, Map.of("strategy", "nsga2", "budget", Map.of("maxTrials", 16),
                "fidelity", Map.of("min", 0.25, "max", 1.0)))).id();
        JsonNode done = drive(job, b -> 80 + 10 * b.path("fidelity").asDouble() - b.path("config").toString().length() % 7,
                b -> 2 + b.path("config").toString().length() % 5);
        assertThat(done.path("state").asString()).isEqualTo("COMPLETED");
        assertThat(done.path("progress").path("stopReason").asString()).isEqualTo("BUDGET");
        JsonNode trials = api.get("/api/v1/jobs/" + job + "/trials?size=100").json().path("items");
        int promoted = 0;
        int anchors = 0;
        for (JsonNode t : trials) {
            boolean full = t.path("fullFidelity").asBoolean();
            if (isQuantizationAnchor(t)) {
                // trial 1: the model quantized to int8, not pruned, fine-tuned to fidelity.max (counts on the frontier)
                anchors++;
                assertThat(t.path("seq").asInt()).isEqualTo(1);
                assertThat(full).isTrue();
                assertThat(t.path("fidelity").asDouble()).isEqualTo(1.0);
            } else if (t.has("promotedFrom")) {
                promoted++;
                assertThat(full).isTrue();
                assertThat(t.path("fidelity").asDouble()).isEqualTo(1.0);
            } else if (t.path("seq").asInt() > 0) {
                assertThat(full).isFalse();
                assertThat(t.path("fidelity").asDouble()).isEqualTo(0.25);
            }
        }
        assertThat(promoted).isGreaterThanOrEqualTo(3);
        JsonNode df = api.get("/api/v1/jobs/" + job + "/frontier").json().path("devices").get(0);
        assertThat(df.path("measured").asInt()).isEqualTo(16);
        for (JsonNode p : df.path("points")) assertThat(p.path("fullFidelity").asBoolean()).as(p.toString()).isTrue();
        assertThat(anchors).isEqualTo(1);
        assertThat(df.path("hypervolumeHistory").size()).isEqualTo(promoted + 1 + anchors);
        assertThat(df.path("hypervolumeHistory").get(0).path("seq").asInt()).isZero();
        assertThat(df.path("hypervolumeHistory").get(0).has("at")).isTrue();
    }

    @Test
    void patienceStopsAStalledSearchWithItsBestEffort() {
        workers();
        UUID model = profiledModel();
        // nothing ever gets faster than 8 ms against a 5 ms target, and nothing improves on trial 1
        UUID job = api.post("/api/v1/jobs", job(model, Map.of("strategy", "random", "budget", Map.of("maxTrials", 40, "patience", 4),
                "fidelity", Map.of("min", 1.0, "max", 1.0)))).id();
        JsonNode done = drive(job, b -> b.path("config").size() == 0 ? 90 : 85, b -> b.path("config").size() == 0 ? 10 : 8);
        assertThat(done.path("state").asString()).isEqualTo("COMPLETED");
        JsonNode progress = done.path("progress");
        assertThat(progress.path("stopReason").asString()).isEqualTo("PATIENCE");
        assertThat(progress.path("bestEffort").asBoolean()).isTrue();
        // stopped once trial 1's improvement stood for 4 more trials (plus those in flight), long before the budget
        assertThat(progress.path("total").asInt()).isBetween(6, 12);
        assertThat(done.path("budget").path("patience").asInt()).isEqualTo(4);
        JsonNode df = api.get("/api/v1/jobs/" + job + "/frontier").json().path("devices").get(0);
        assertThat(df.path("bestEffort").asBoolean()).isTrue();
        assertThat(df.has("recommended")).isTrue();
    }

    @Test
    void warmStartFeedsEarlierTrialsOfTheSameModelAndDevice() {
        workers();
        UUID model = profiledModel();
        UUID first = api.post("/api/v1/jobs", job(model, Map.of("strategy", "greedy", "budget", Map.of("maxTrials", 8),
                "fidelity", Map.of("min", 1.0, "max", 1.0)))).id();
        drive(first, b -> 89, b -> 9 - b.path("config").toString().length() % 3);
        Api.Response second = api.post("/api/v1/jobs", job(model, Map.of("strategy", "greedy", "warmStart", true,
                "budget", Map.of("maxTrials", 8), "fidelity", Map.of("min", 1.0, "max", 1.0))));
        assertThat(second.json().path("warmStart").asBoolean()).isTrue();
        stepper.step(second.id());
        // greedy already knows the first job's results: its first step goes beyond them
        Set<String> earlier = new HashSet<>();
        for (JsonNode t : api.get("/api/v1/jobs/" + first + "/trials?size=100").json().path("items")) earlier.add(t.path("config").toString());
        JsonNode secondTrials = api.get("/api/v1/jobs/" + second.id() + "/trials?size=100").json().path("items");
        assertThat(secondTrials.size()).isGreaterThan(1);
        for (JsonNode t : secondTrials) {
            // the baseline and the int8 anchor are this job's own reference points; the rest goes beyond
            if (t.path("seq").asInt() > 0 && !isQuantizationAnchor(t)) assertThat(earlier).doesNotContain(t.path("config").toString());
        }
    }

    private static boolean isQuantizationAnchor(JsonNode t) {
        JsonNode c = t.path("config");
        return !c.has("layers") && c.path("default").path("quantize").path("bits").asInt() == 8 && !t.has("promotedFrom");
    }

    /**
     * Issue 17 end to end over HTTP: selection reads only the validation split, a promotion continues
     * from its parent's checkpoint, the polish stage re-runs the best points at fidelity.final (with
     * distillation) and its rows replace theirs on the frontier.
     */
    @Test
    void validationSelectsPromotionsInheritAndPolishReplacesRows() {
        workers();
        UUID model = profiledModel();
        UUID job = api.post("/api/v1/jobs", job(model, Map.of("strategy", "nsga2", "budget", Map.of("maxTrials", 12),
                "latencyTargetMs", 100.0, "fidelity", Map.of("min", 0.25, "max", 1.0, "final", 2.0, "polishTop", 2),
                "validation", Map.of("fraction", 0.1, "seed", 5)))).id();
        Map<String, JsonNode> leases = new HashMap<>();
        Map<String, String> checkpoints = new HashMap<>();
        for (int round = 0; round < 200 && api.get("/api/v1/jobs/" + job).json().path("state").asString().equals("RUNNING"); round++) {
            stepper.step(job);
            for (JsonNode b : lease(builder, 10).json().path("leases")) {
                String trial = b.path("trialId").asString();
                leases.put(trial, b);
                int len = b.path("config").toString().length();
                // validation and test disagree on purpose: test is the mirror image of validation
                double val = b.path("config").size() == 0 ? 92 : 80 + len % 11 + b.path("fidelity").asDouble();
                String checkpoint = artifact("checkpoint " + trial);
                checkpoints.put(trial, checkpoint);
                Api.Response r = api.post("/api/v1/leases/" + b.path("id").asString() + "/complete", Map.of("workerId", builder.toString(),
                        "result", Map.of("accuracy", 180 - val, "validationAccuracy", val, "sizeBytes", 1000 + len,
                                "checkpointSha256", checkpoint), "artifactSha256", artifact("artifact " + trial)));
                assertThat(r.status()).as(r.body()).isEqualTo(200);
            }
            JsonNode ms;
            while ((ms = lease(agent, 1).json().path("leases")).size() > 0) {
                JsonNode b = leases.get(ms.get(0).path("trialId").asString());
                api.post("/api/v1/leases/" + ms.get(0).path("id").asString() + "/complete", Map.of("workerId", agent.toString(),
                        "result", Map.of("medianMs", 10.0 - b.path("config").toString().length() % 4)));
            }
        }
        JsonNode done = api.get("/api/v1/jobs/" + job).json();
        assertThat(done.path("state").asString()).as(done.toString()).isEqualTo("COMPLETED");
        assertThat(done.path("progress").path("stage").asString()).isEqualTo("POLISH");
        assertThat(done.path("validation").path("fraction").asDouble()).isEqualTo(0.1);

        Map<Integer, JsonNode> bySeq = new HashMap<>();
        for (JsonNode t : api.get("/api/v1/jobs/" + job + "/trials?size=100").json().path("items")) bySeq.put(t.path("seq").asInt(), t);
        int promoted = 0;
        List<JsonNode> polished = new java.util.ArrayList<>();
        for (JsonNode t : bySeq.values()) {
            JsonNode lease = leases.get(t.path("id").asString());
            assertThat(lease.path("validation").path("fraction").asDouble()).isEqualTo(0.1);
            assertThat(lease.path("validation").path("seed").asLong()).isEqualTo(5);
            if (!t.has("promotedFrom")) {
                assertThat(lease.has("inherit")).as("a fresh configuration starts from the model").isFalse();
                continue;
            }
            JsonNode parent = bySeq.get(t.path("promotedFrom").asInt());
            assertThat(t.path("inheritedFrom").asInt()).isEqualTo(parent.path("seq").asInt());
            assertThat(lease.path("inherit").path("checkpointSha256").asString())
                    .isEqualTo(checkpoints.get(parent.path("id").asString()));
            assertThat(lease.path("inherit").path("fidelity").asDouble()).isEqualTo(parent.path("fidelity").asDouble());
            if (t.path("stage").asString().equals("POLISH")) {
                polished.add(t);
                assertThat(t.path("fidelity").asDouble()).isEqualTo(2.0);
                assertThat(lease.path("recovery").path("distillation").asBoolean()).as("polish distils").isTrue();
            } else {
                promoted++;
                assertThat(lease.path("recovery").path("distillation").asBoolean()).isFalse();
                assertThat(parent.path("fidelity").asDouble()).isEqualTo(0.25);
            }
        }
        assertThat(promoted).isGreaterThanOrEqualTo(2);
        assertThat(polished).as("polishTop 2: the recommended point and a frontier neighbour, when the front has one").hasSizeBetween(1, 2);

        JsonNode frontier = api.get("/api/v1/jobs/" + job + "/frontier").json();
        assertThat(frontier.path("baselineValidationAccuracy").asDouble()).isEqualTo(92.0);
        assertThat(frontier.path("baselineAccuracy").asDouble()).as("test, reported").isEqualTo(88.0);
        JsonNode df = frontier.path("devices").get(0);
        Set<Integer> onFront = new HashSet<>();
        for (JsonNode p : df.path("points")) onFront.add(p.path("seq").asInt());
        for (JsonNode p : polished) {
            assertThat(onFront).as("the polished source row is superseded").doesNotContain(p.path("promotedFrom").asInt());
        }
        assertThat(bySeq.get(polished.get(0).path("promotedFrom").asInt()).path("state").asString())
                .as("superseded rows are kept").isEqualTo("DONE");
        // the recommendation is the best validation accuracy (all meet 100 ms); by test it would be the worst
        double bestVal = 0;
        for (JsonNode p : df.path("points")) bestVal = Math.max(bestVal, p.path("validationAccuracy").asDouble());
        assertThat(df.path("recommended").path("validationAccuracy").asDouble()).isEqualTo(bestVal);
        assertThat(df.path("hypervolume").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void aCollapsedModelIsNeverRecommended() {
        workers();
        UUID model = profiledModel();
        UUID job = api.post("/api/v1/jobs", job(model, Map.of("strategy", "random", "budget", Map.of("maxTrials", 5),
                "fidelity", Map.of("min", 1.0, "max", 1.0)))).id();
        // every compressed model scores at chance (10 %) on validation; the dense one is 90 % but far too slow
        JsonNode done = drive(job, b -> b.path("config").size() == 0 ? 90 : 10, b -> b.path("config").size() == 0 ? 50 : 1);
        assertThat(done.path("state").asString()).isEqualTo("COMPLETED");
        JsonNode df = api.get("/api/v1/jobs/" + job + "/frontier").json().path("devices").get(0);
        assertThat(df.path("recommended").path("seq").asInt()).as("the dense baseline, slow but useful").isZero();
        assertThat(df.path("bestEffort").asBoolean()).isTrue();
        for (JsonNode p : df.path("points")) {
            assertThat(p.path("useful").asBoolean()).isEqualTo(p.path("seq").asInt() == 0);
        }
    }
}
