package dev.frontier.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.data.DataSplits;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.measure.Accuracy;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;
import dev.frontier.worker.model.Zoo;
import dev.frontier.worker.train.TrainConfig;
import dev.frontier.worker.train.Trainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole product on one machine: the real coordinator process (embedded PostgreSQL), a real
 * worker agent in this JVM, a small trained model and a subset of Fashion-MNIST. A job runs to
 * completion, and the accuracy a trial reports is re-checked against its downloaded artifact.
 */
class EndToEndTest {
    static final int EVAL_LIMIT = 500;

    @Test
    @Timeout(600)
    void jobRunsToCompletionWithRealMeasurements(@TempDir Path tmp) throws Exception {
        assumeThat(CoordinatorProcess.JAR).as("the service jar is built by the reactor before these tests").exists();
        DataSplits data = Datasets.fashionMnist();
        Graph model = Trainer.train(Zoo.lenet5(1, 10), data.train().subset(6000),
                TrainConfig.baseline(1).withSeed(1), null);

        try (CoordinatorProcess coordinator = new CoordinatorProcess(tmp.resolve("coordinator"))) {
            String admin = coordinator.adminToken();
            CoordinatorClient api = new CoordinatorClient(coordinator.url, admin);
            // the agent starts with the admin token and continues with the worker token it is given
            CoordinatorClient agentClient = new CoordinatorClient(coordinator.url, admin);
            AgentConfig cfg = new AgentConfig(coordinator.url, admin, "e2e-device", List.of("build", "measure"),
                    tmp.resolve("worker"), 2, 2, 300, 0, 1, EVAL_LIMIT, 2000);
            Agent agent = new Agent(cfg, agentClient, new EngineTaskExecutor(cfg, agentClient));
            agent.register();
            Thread worker = new Thread(agent::run, "e2e-agent");
            worker.start();
            try {
                JsonNode job = runJob(api, model, agent.deviceId());
                assertThat(job.path("state").asString()).as(coordinator.tail()).isEqualTo("COMPLETED");
                assertThat(job.path("progress").path("done").asInt()).isGreaterThanOrEqualTo(3);

                JsonNode frontier = api.get("jobs/" + job.path("id").asString() + "/frontier");
                assertThreeRuntimeFrontiers(api, job, frontier, agent.deviceId());
                JsonNode points = frontier.path("devices").path(0).path("points");
                assertThat(points.size()).isPositive();
                double best = 0;
                for (JsonNode p : points) {
                    assertThat(p.path("latencyMs").asDouble()).isPositive();
                    assertThat(p.path("accuracy").asDouble()).isBetween(0.0, 100.0);
                    best = Math.max(best, p.path("accuracy").asDouble());
                }
                // the dense baseline (trial 0) alone is well above chance; a heavily pruned, barely
                // fine-tuned trial may sit at chance and still be on the frontier for its latency
                assertThat(best).isGreaterThan(50.0);

                // issue 17: selection on validation, a sensitivity profile, a polish stage that continues
                // from its source's fine-tuned checkpoint and replaces its row on the frontier
                String jobId = job.path("id").asString();
                JsonNode profile = api.get("models/" + job.path("modelId").asString()).path("profile");
                assertThat(profile.path("sensitivity").path("baselineAccuracy").asDouble()).isBetween(50.0, 100.0);
                assertThat(profile.path("layers").findValues("sensitivity")).isNotEmpty();
                JsonNode polished = null;
                for (JsonNode t : api.get("jobs/" + jobId + "/trials?size=50").path("items")) {
                    if (t.path("state").asString().equals("DONE")) {
                        assertThat(t.path("validationAccuracy").asDouble(-1)).as(t.toString()).isBetween(0.0, 100.0);
                        assertThat(t.path("buildMetrics").path("checkpointSha256").asString()).hasSize(64);
                    }
                    if (t.path("stage").asString().equals("POLISH")) polished = t;
                }
                assertThat(polished).as("the polish stage ran").isNotNull();
                assertThat(polished.path("state").asString()).isEqualTo("DONE");
                assertThat(polished.path("fidelity").asDouble()).isEqualTo(0.2);
                assertThat(polished.path("inheritedFrom").asInt()).isEqualTo(polished.path("promotedFrom").asInt());
                assertThat(polished.path("buildMetrics").path("recovery").path("inherited").asBoolean()).isTrue();
                assertThat(polished.path("buildMetrics").path("recovery").path("distillation").asBoolean()).isTrue();
                for (JsonNode p : points) {
                    assertThat(p.path("seq").asInt()).as("superseded by the polished trial")
                            .isNotEqualTo(polished.path("promotedFrom").asInt());
                }
                // the dashboard's trial page reads what these real builds send (and its browser test renders one)
                DashboardTrialRecording.check(api, jobId);

                // the reported accuracy is the artifact's: evaluate the downloaded bytes independently
                String trialId = points.get(0).path("trialId").asString();
                JsonNode trial = api.get("trials/" + trialId);
                byte[] artifact = api.download("trials/" + trialId + "/artifact");
                Accuracy.Result again = Accuracy.evaluate(Artifact.fromBytes(artifact), data.test(), EVAL_LIMIT, 1);
                assertThat(again.accuracy()).isCloseTo(trial.path("accuracy").asDouble(),
                        org.assertj.core.data.Offset.offset(1e-6));
                assertThat(trial.path("measurements").path(0).path("metrics").path("estimated").asBoolean(true))
                        .isFalse();

                // the ONNX download carries the same compressed weights: ONNX Runtime agrees on accuracy
                byte[] onnx = api.download("trials/" + trialId + "/artifact?format=onnx");
                double ort = dev.frontier.worker.onnx.OrtAccuracy.evaluate(dev.frontier.worker.onnx.OnnxModels.read(onnx),
                        data.test(), EVAL_LIMIT, 1).accuracy();
                assertThat(ort).isCloseTo(trial.path("accuracy").asDouble(), org.assertj.core.data.Offset.offset(0.5));
            } finally {
                agent.stop(5);
                worker.join(30_000);
            }
        }
    }

    /**
     * Issue 19: the agent's device offers the JVM runtime, the generated C (gcc is installed) and ONNX
     * Runtime; the job (runtimes left to default) measures every build with all three and shows three
     * frontiers of the same trials, the first steering the search.
     */
    private static void assertThreeRuntimeFrontiers(CoordinatorClient api, JsonNode job, JsonNode frontier, String deviceId) {
        List<String> runtimes = new java.util.ArrayList<>();
        job.path("runtimes").forEach(r -> runtimes.add(r.asString()));
        assertThat(runtimes).containsExactly("frontier-native", "frontier-jvm", "onnxruntime");
        JsonNode device = api.get("devices/" + deviceId);
        assertThat(device.path("runtimes").findValuesAsString("name")).containsAll(runtimes);

        JsonNode frontiers = frontier.path("devices");
        assertThat(frontiers.size()).isEqualTo(3);
        java.util.Set<Integer> measuredSeqs = null;
        for (int i = 0; i < 3; i++) {
            JsonNode df = frontiers.get(i);
            assertThat(df.path("deviceId").asString()).isEqualTo(deviceId);
            assertThat(df.path("runtime").asString()).isEqualTo(runtimes.get(i));
            assertThat(df.path("steering").asBoolean()).isEqualTo(i == 0);
            assertThat(df.path("baselineLatencyMs").asDouble()).as(df.toString()).isPositive();
            assertThat(df.path("points").size()).isPositive();
            for (JsonNode p : df.path("points")) {
                assertThat(p.path("runtime").asString()).isEqualTo(runtimes.get(i));
            }
        }
        // the same builds: every finished trial is measured once per runtime it has a variant for (the C
        // generator may lack a kernel for some trial; the dense baseline has all three), each on that variant
        for (JsonNode t : api.get("jobs/" + job.path("id").asString() + "/trials?size=50").path("items")) {
            if (!t.path("state").asString().equals("DONE")) continue;
            java.util.Map<String, String> byRuntime = new java.util.HashMap<>();
            for (JsonNode m : t.path("measurements")) {
                byRuntime.put(m.path("runtime").asString(), m.path("metrics").path("runtime").asString());
                assertThat(m.path("medianMs").asDouble()).isPositive();
                assertThat(m.path("emulated").asBoolean()).isFalse();
            }
            JsonNode variants = t.path("buildMetrics").path("runtimeArtifacts");
            java.util.List<String> withVariant = runtimes.stream().filter(r -> variants.path(r).asString("").length() == 64).toList();
            assertThat(byRuntime.keySet()).as(t.toString()).containsExactlyInAnyOrderElementsOf(withVariant);
            byRuntime.forEach((r, reported) -> assertThat(reported).isEqualTo(r));
            assertThat(variants.path("frontier-jvm").asString()).isEqualTo(t.path("artifactSha256").asString());
            if (t.path("seq").asInt() == 0) assertThat(withVariant).containsExactlyElementsOf(runtimes);
        }
    }

    private static JsonNode runJob(CoordinatorClient api, Graph model, String deviceId) throws Exception {
        Path f = Files.createTempFile("lenet", ".frir");
        ModelFile.write(model, f);
        ObjectNode ds = CoordinatorClient.object();
        ds.put("name", "fashion-mnist");
        ds.put("kind", "fashion-mnist");
        api.post("datasets", ds);
        JsonNode m = api.postMultipart("models", Map.of("name", "lenet-e2e", "format", "frontier-ir",
                "inputShape", "1,28,28", "dataset", "fashion-mnist"), "lenet.frir", Files.readAllBytes(f));

        ObjectNode job = CoordinatorClient.object();
        job.put("modelId", m.path("id").asString());
        job.putArray("deviceIds").add(deviceId);
        job.put("latencyTargetMs", 50.0);
        job.put("maxAccuracyDrop", 5.0);
        job.put("seed", 3);
        job.putObject("budget").put("maxTrials", 4);
        ObjectNode fidelity = job.putObject("fidelity");
        fidelity.put("min", 0.05);
        fidelity.put("max", 0.1);
        fidelity.put("final", 0.2);
        fidelity.put("polishTop", 1);
        String id = api.post("jobs", job).path("id").asString();
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode j = api.get("jobs/" + id);
            String state = j.path("state").asString();
            if (state.equals("COMPLETED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                return j;
            }
            Thread.sleep(1000);
        }
        return api.get("jobs/" + id);
    }
}
