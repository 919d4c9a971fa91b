package dev.frontier.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Zoo;
import dev.frontier.worker.train.TrainConfig;
import dev.frontier.worker.train.Trainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 19, the open measuring protocol: the non-JVM reference client (deploy/clients/measure-node,
 * Node.js + onnxruntime-node, nothing but HTTP and the ONNX export) registers its own device, leases
 * the job's onnxruntime MEASURE tasks from the real coordinator and reports latencies that make the
 * job's frontier. The Java agent here only builds; it has no device and measures nothing.
 * Skipped without node or the client's node_modules, unless FRONTIER_REQUIRE_NODE_CLIENT=1 (CI).
 * When Prism is installed (deploy/contract-proxy; CI), the client's traffic goes through it and any
 * violation of openapi.yaml fails the test.
 */
class NodeMeasureClientTest {
    static final Path CLIENT = Path.of("../deploy/clients/measure-node");
    static final String DEVICE = "phone-ort";

    @Test
    @Timeout(600)
    void nodeClientMeasuresAJobsOnnxExports(@TempDir Path tmp) throws Exception {
        Path node = onPath("node");
        boolean required = "1".equals(System.getenv("FRONTIER_REQUIRE_NODE_CLIENT"));
        if (required) {
            assertThat(node).as("node on PATH (FRONTIER_REQUIRE_NODE_CLIENT=1)").isNotNull();
            assertThat(CLIENT.resolve("node_modules/onnxruntime-node")).as("npm ci in " + CLIENT).isDirectory();
        } else {
            assumeThat(node).as("node on PATH").isNotNull();
            assumeThat(CLIENT.resolve("node_modules/onnxruntime-node")).as("npm ci in " + CLIENT).isDirectory();
        }
        assumeThat(CoordinatorProcess.JAR).as("the service jar is built by the reactor before these tests").exists();

        Graph model = Trainer.train(Zoo.lenet5(1, 10), Datasets.fashionMnist().train().subset(3000),
                TrainConfig.baseline(1).withSeed(1), null);
        Path clientLog = tmp.resolve("measure-node.log");
        // with Prism installed (CI: always), the client talks through it: its requests and the coordinator's
        // answers are validated against openapi.yaml like the Java agent's in ContractProxyTest
        Path prismExe = PrismProcess.find();
        try (CoordinatorProcess coordinator = new CoordinatorProcess(tmp.resolve("coordinator"));
             PrismProcess prism = prismExe == null ? null : new PrismProcess(prismExe,
                     coordinator.url.replace("localhost", "127.0.0.1"), tmp.resolve("prism.log"));
             ContractRouter router = prism == null ? null : new ContractRouter(prism.url, coordinator.url)) {
            String admin = coordinator.adminToken();
            CoordinatorClient api = new CoordinatorClient(coordinator.url, admin);
            String clientUrl = router == null ? coordinator.url : router.url;
            Process client = new ProcessBuilder(node.toString(), "measure.mjs", "--coordinator", clientUrl,
                    "--token", admin, "--device", DEVICE)
                    .directory(CLIENT.toFile()).redirectErrorStream(true).redirectOutput(clientLog.toFile()).start();
            AgentConfig cfg = new AgentConfig(coordinator.url, admin, null, List.of("build"), tmp.resolve("worker"),
                    2, 2, 300, 0, 1, 500, 2000);
            CoordinatorClient agentClient = new CoordinatorClient(coordinator.url, admin);
            Agent builder = new Agent(cfg, agentClient, new EngineTaskExecutor(cfg, agentClient));
            Thread builderThread = new Thread(builder::run, "node-test-builder");
            try {
                String deviceId = awaitDevice(api, client, clientLog);
                builder.register();
                builderThread.start();

                JsonNode job = runJob(api, model, deviceId);
                String why = "coordinator:\n" + coordinator.tail() + "\nmeasure-node:\n" + tail(clientLog);
                assertThat(job.path("state").asString()).as(why).isEqualTo("COMPLETED");
                assertThat(job.path("runtimes").size()).isEqualTo(1);
                assertThat(job.path("runtimes").path(0).asString()).isEqualTo("onnxruntime");
                assertNodeMeasuredEveryTrial(api, job.path("id").asString(), deviceId, why);

                JsonNode frontier = api.get("jobs/" + job.path("id").asString() + "/frontier");
                JsonNode ort = null;
                for (JsonNode df : frontier.path("devices")) {
                    if (df.path("deviceId").asString().equals(deviceId) && df.path("runtime").asString().equals("onnxruntime")) {
                        ort = df;
                    }
                }
                assertThat(ort).as(frontier.toString()).isNotNull();
                assertThat(ort.path("points").size()).as(ort.toString()).isPositive();
                for (JsonNode p : ort.path("points")) {
                    assertThat(p.path("latencyMs").asDouble()).isPositive();
                    assertThat(p.path("runtime").asString()).isEqualTo("onnxruntime");
                }

                // SIGTERM while it long-polls for the next lease: it stops cleanly with exit code 0
                client.destroy();
                assertThat(client.waitFor(60, TimeUnit.SECONDS)).as(tail(clientLog)).isTrue();
                assertThat(client.exitValue()).as(tail(clientLog)).isZero();
                assertThat(Files.readString(clientLog)).contains("leased MEASURE", "exiting after");
                if (router != null) {
                    List<String> violations = router.violations();
                    assertThat(violations).withFailMessage("%d exchanges of the node client violate openapi.yaml:%n%s%nprism log:%n%s",
                            violations.size(), String.join("\n", violations), prism.tail()).isEmpty();
                    assertThat(router.validatedRoutes()).as("the client's operations Prism validated").contains(
                            "GET /api/v1/devices", "POST /api/v1/devices", "POST /api/v1/workers", "POST /api/v1/leases",
                            "POST /api/v1/leases/{id}/complete");
                    assertThat(router.bypassed()).as("ONNX downloads go around Prism").isPositive();
                    System.out.printf("Prism validated %d exchanges of the node client, no violation%n", router.validated());
                }
            } finally {
                client.destroyForcibly();
                builder.stop(5);
                if (builderThread.isAlive()) builderThread.join(30_000);
            }
        }
    }

    /** The client's device, once it is ONLINE and declares onnxruntime (a job on it validates against that). */
    private static String awaitDevice(CoordinatorClient api, Process client, Path clientLog) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            assertThat(client.isAlive()).as("measure-node exited: " + tail(clientLog)).isTrue();
            for (JsonNode d : api.get("devices")) {
                if (d.path("name").asString().equals(DEVICE) && d.path("status").asString().equals("ONLINE")
                        && d.path("runtimes").findValuesAsString("name").contains("onnxruntime")
                        && Files.readString(clientLog).contains("as worker")) {
                    assertThat(d.path("labels").path("agent").asString()).isEqualTo("frontier-measure-node");
                    return d.path("id").asString();
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("device " + DEVICE + " not registered in time: " + tail(clientLog));
    }

    /** Every finished trial was timed by the Node client, on its device, with ONNX Runtime. */
    private static void assertNodeMeasuredEveryTrial(CoordinatorClient api, String jobId, String deviceId, String why) {
        List<JsonNode> done = new ArrayList<>();
        for (JsonNode t : api.get("jobs/" + jobId + "/trials?size=50").path("items")) {
            if (t.path("state").asString().equals("DONE")) done.add(t);
        }
        assertThat(done).as(why).hasSizeGreaterThanOrEqualTo(2);
        for (JsonNode t : done) {
            assertThat(t.path("measurements").size()).as(t.toString()).isEqualTo(1);
            JsonNode m = t.path("measurements").get(0);
            assertThat(m.path("runtime").asString()).isEqualTo("onnxruntime");
            assertThat(m.path("deviceId").asString()).isEqualTo(deviceId);
            assertThat(m.path("medianMs").asDouble()).isPositive();
            JsonNode metrics = m.path("metrics");
            assertThat(metrics.path("client").asString()).isEqualTo("frontier-measure-node");
            assertThat(metrics.path("runtime").asString()).isEqualTo("onnxruntime");
            assertThat(metrics.path("estimated").asBoolean(true)).isFalse();
            assertThat(metrics.path("repeat").asInt()).isEqualTo(30);
            assertThat(metrics.path("number").asInt()).isPositive();
            assertThat(metrics.path("p10Ms").asDouble()).isPositive()
                    .isLessThanOrEqualTo(m.path("medianMs").asDouble());
            assertThat(metrics.path("p90Ms").asDouble()).isGreaterThanOrEqualTo(m.path("medianMs").asDouble());
            assertThat(metrics.path("onnxruntimeVersion").asString()).isNotBlank();
        }
    }

    /** A one-stage search (3 trials at 0.05 epochs) measured with onnxruntime only, on the client's device. */
    private static JsonNode runJob(CoordinatorClient api, Graph model, String deviceId) throws Exception {
        String modelId = LenetUpload.upload(api, model, "lenet-node");

        ObjectNode job = CoordinatorClient.object().put("modelId", modelId).put("latencyTargetMs", 50.0)
                .put("maxAccuracyDrop", 5.0).put("seed", 5);
        job.putArray("deviceIds").add(deviceId);
        job.putArray("runtimes").add("onnxruntime");
        job.putObject("budget").put("maxTrials", 3);
        job.putObject("fidelity").put("min", 0.05).put("max", 0.05);
        String id = api.post("jobs", job).path("id").asString();
        long deadline = System.currentTimeMillis() + 360_000;
        JsonNode j = api.get("jobs/" + id);
        while (System.currentTimeMillis() < deadline
                && List.of("PROFILING", "RUNNING").contains(j.path("state").asString())) {
            Thread.sleep(1000);
            j = api.get("jobs/" + id);
        }
        return j;
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static String tail(Path log) {
        try {
            return LogTail.of(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
