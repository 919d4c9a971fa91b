package dev.frontier.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

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
 * Issue 20: openapi.yaml is the contract the real traffic keeps. A real coordinator and a real agent
 * (building and measuring with every runtime) run a small job, with Stoplight Prism validating each
 * request and response in between ({@code prism proxy --errors}); so do the test's own calls, the
 * ones the dashboard and scripts make. Any violation fails the test, listed per exchange.
 * Skipped without Prism, unless FRONTIER_REQUIRE_PRISM=1 (CI installs it in deploy/contract-proxy).
 */
class ContractProxyTest {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    @Timeout(420)
    void realTrafficKeepsTheContract(@TempDir Path tmp) throws Exception {
        Path prismExe = PrismProcess.find();
        if ("1".equals(System.getenv("FRONTIER_REQUIRE_PRISM"))) {
            assertThat(prismExe).as("prism (npm ci in deploy/contract-proxy; FRONTIER_REQUIRE_PRISM=1)").isNotNull();
        } else {
            assumeThat(prismExe).as("prism (npm ci in deploy/contract-proxy)").isNotNull();
        }
        assumeThat(CoordinatorProcess.JAR).as("the service jar is built by the reactor before these tests").exists();
        Graph model = Trainer.train(Zoo.lenet5(1, 10), Datasets.fashionMnist().train().subset(3000),
                TrainConfig.baseline(1).withSeed(1), null);

        try (CoordinatorProcess coordinator = new CoordinatorProcess(tmp.resolve("coordinator"));
             PrismProcess prism = new PrismProcess(prismExe, coordinator.url.replace("localhost", "127.0.0.1"),
                     tmp.resolve("prism.log"));
             ContractRouter router = new ContractRouter(prism.url, coordinator.url)) {
            assertPrismRefusesAnInvalidRequest(prism.url);
            String admin = coordinator.adminToken();
            // one attempt: a 500 that Prism made for a violating response fails here at once, not after retries
            CoordinatorClient api = new CoordinatorClient(router.url, admin, 1, Duration.ofSeconds(60));
            CoordinatorClient agentClient = new CoordinatorClient(router.url, admin);
            AgentConfig cfg = new AgentConfig(router.url, admin, "contract-device", List.of("build", "measure"),
                    tmp.resolve("worker"), 2, 2, 300, 0, 1, 300, 1000);
            Agent agent = new Agent(cfg, agentClient, new EngineTaskExecutor(cfg, agentClient));
            Thread worker = new Thread(agent::run, "contract-agent");
            JsonNode job = null;
            RuntimeException failure = null;
            try {
                agent.register();
                worker.start();
                job = runJob(api, router, model, agent.deviceId());
                readWhatTheDashboardReads(api, job, agent.deviceId());
                gateOnABrokenDataset(api, router, admin, model, agent.deviceId());
                cancelAndAdminister(api, router.url, admin, job);
            } catch (CoordinatorException e) {
                // most likely Prism's answer to a violation: the list below says which
                failure = e;
            } finally {
                agent.stop(5);
                worker.join(30_000);
            }
            String why = "\nprism log:\n" + prism.tail() + "\ncoordinator:\n" + coordinator.tail();
            List<String> violations = router.violations();
            assertThat(violations).withFailMessage("%d exchanges violate openapi.yaml:%n%s%n%s%n%s", violations.size(),
                    String.join("\n", violations), failure == null ? "" : "the test stopped at: " + failure, why).isEmpty();
            if (failure != null) throw failure;
            assertThat(job.path("state").asString()).as(job + why).isEqualTo("COMPLETED");
            System.out.printf("Prism validated %d exchanges, no violation; %d binary ones went around it; operations:%n  %s%n",
                    router.validated(), router.bypassed(), String.join("\n  ", router.validatedRoutes()));
            assertThat(router.validated()).as("exchanges Prism validated").isGreaterThan(30);
            // every operation this test means to cover went through Prism (ids folded)
            assertThat(router.validatedRoutes()).as("operations Prism validated").contains(
                    "POST /api/v1/leases/{id}/fail", "GET /api/v1/datasets/{id}", "GET /api/v1/devices/{id}",
                    "POST /api/v1/gates", "GET /api/v1/gates/{id}", "GET /api/v1/gates/{id}/summary.md",
                    "GET /api/v1/gates/{id}/junit.xml", "DELETE /api/v1/tokens/{id}");
            assertThat(router.bypassed()).as("binary exchanges (artifacts, model upload)").isPositive();
        }
    }

    /** The proxy validates at all: a job without its required fields is answered 422 with the violations. */
    private static void assertPrismRefusesAnInvalidRequest(String prismUrl) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(prismUrl + "/api/v1/jobs")).header("Content-Type", "application/json")
                        .header("Authorization", "Bearer not-a-token").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        assertThat(r.body()).contains("UNPROCESSABLE_ENTITY", "modelId");
    }

    /** Upload, dataset, a two-stage search with a polish stage, measured with the default runtimes. */
    private static JsonNode runJob(CoordinatorClient api, ContractRouter router, Graph model, String deviceId) throws Exception {
        String modelId = LenetUpload.upload(api, model, "lenet-contract");

        ObjectNode job = CoordinatorClient.object().put("modelId", modelId).put("latencyTargetMs", 50.0)
                .put("maxAccuracyDrop", 5.0).put("seed", 3);
        job.putArray("deviceIds").add(deviceId);
        job.putObject("budget").put("maxTrials", 3);
        job.putObject("fidelity").put("min", 0.05).put("max", 0.05).put("final", 0.1).put("polishTop", 1);
        String id = api.post("jobs", job).path("id").asString();
        long deadline = System.currentTimeMillis() + 240_000;
        JsonNode j = api.get("jobs/" + id);
        // a violation makes Prism answer 422/500, which the agent retries or fails on: stop at the first one
        while (System.currentTimeMillis() < deadline && router.violations().isEmpty()
                && List.of("PROFILING", "RUNNING").contains(j.path("state").asString())) {
            Thread.sleep(1000);
            j = api.get("jobs/" + id);
        }
        return j;
    }

    /**
     * The read side: lists, pages, the frontier, a trial, the model's profile, a device, a dataset, the
     * caller, a problem answer.
     */
    private static void readWhatTheDashboardReads(CoordinatorClient api, JsonNode job, String deviceId) {
        String jobId = job.path("id").asString();
        api.get("jobs");
        assertThat(api.get("devices/" + deviceId).path("id").asString()).isEqualTo(deviceId);
        JsonNode datasets = api.get("datasets");
        assertThat(datasets.findValuesAsString("name")).contains("fashion-mnist");
        for (JsonNode d : datasets) {
            assertThat(api.get("datasets/" + d.path("id").asString()).path("name").asString()).isEqualTo(d.path("name").asString());
        }
        api.get("models");
        api.get("me");
        api.get("models/" + job.path("modelId").asString());
        api.get("jobs/" + jobId + "/frontier");
        for (JsonNode t : api.get("jobs/" + jobId + "/trials?size=50").path("items")) {
            api.get("trials/" + t.path("id").asString());
        }
        assertThatThrownBy(() -> api.get("jobs/" + UUID.randomUUID()))
                .isInstanceOfSatisfying(CoordinatorException.class, e -> assertThat(e.getMessage()).contains("404"));
    }

    /**
     * A CI gate whose search cannot succeed: the model's dataset is an uploaded zip (kind idx) without IDX
     * files, so the real agent fails its BUILD tasks and reports each failure ({@code POST /leases/{id}/fail}).
     * The gate finishes with verdict ERROR; its detail, Markdown summary and JUnit report are read through
     * Prism. The zip and the model go around Prism (multipart); the upload's answer is checked to be the
     * Dataset Prism validated on {@code GET /datasets/{id}}.
     */
    private static void gateOnABrokenDataset(CoordinatorClient api, ContractRouter router, String token, Graph model,
                                             String deviceId)
            throws Exception {
        JsonNode uploaded = api.postMultipart("datasets/upload", Map.of("name", "contract-no-idx", "kind", "idx"),
                "no-idx.zip", zip(Map.of("README.txt", "an archive without train-images-idx3-ubyte")));
        String datasetId = uploaded.path("id").asString();
        JsonNode dataset = api.get("datasets/" + datasetId);
        // the upload answers the Dataset that GET /datasets/{id} serves, which Prism validated (the stored
        // createdAt is rounded to microseconds)
        java.time.Instant at = java.time.Instant.parse(uploaded.path("createdAt").asString());
        assertThat(java.time.Instant.parse(dataset.path("createdAt").asString())).isCloseTo(at, within(1, java.time.temporal.ChronoUnit.MILLIS));
        ObjectNode sameShape = (ObjectNode) uploaded.deepCopy();
        sameShape.set("createdAt", dataset.path("createdAt"));
        assertThat(dataset).as("GET /datasets/{id} after the upload").isEqualTo(sameShape);
        assertThat(dataset.path("sha256").asString()).hasSize(64);

        Path file = Files.createTempFile("lenet-no-idx", ".frir");
        dev.frontier.worker.model.ModelFile.write(model, file);
        String modelId = api.postMultipart("models", Map.of("name", "lenet-no-idx", "format", "frontier-ir",
                "inputShape", "1,28,28", "dataset", "contract-no-idx"), "lenet.frir", Files.readAllBytes(file)).path("id").asString();
        ObjectNode request = CoordinatorClient.object().put("modelId", modelId).put("device", deviceId)
                .put("latencyTargetMs", 50.0).put("maxAccuracyDrop", 5.0).put("seed", 4);
        request.putObject("budget").put("maxTrials", 2);
        request.putObject("fidelity").put("min", 0.05).put("max", 0.05);
        JsonNode gate = api.post("gates", request);
        String gateId = gate.path("id").asString();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline && router.violations().isEmpty()
                && !gate.path("state").asString().equals("FINISHED")) {
            Thread.sleep(1000);
            gate = api.get("gates/" + gateId);
        }
        if (!router.violations().isEmpty()) return; // the caller lists them
        assertThat(gate.path("state").asString()).as(gate.toString()).isEqualTo("FINISHED");
        assertThat(gate.path("verdict").asString()).as(gate.toString()).isEqualTo("ERROR");
        // the agent reported the failure with its kind: the trial says why
        JsonNode trials = api.get("jobs/" + gate.path("jobId").asString() + "/trials?size=50").path("items");
        assertThat(trials.findValuesAsString("errorKind")).as(trials.toString()).contains("DATASET");
        assertThat(trials.findValuesAsString("state")).as(trials.toString()).doesNotContain("DONE");

        HttpResponse<String> md = getText(router.url, token, "gates/" + gateId + "/summary.md", "text/markdown");
        assertThat(md.statusCode()).as(md.body()).isEqualTo(200);
        assertThat(md.headers().firstValue("Content-Type").orElse("")).startsWith("text/markdown");
        assertThat(md.body()).contains("ERROR");
        HttpResponse<String> junit = getText(router.url, token, "gates/" + gateId + "/junit.xml", "application/xml");
        assertThat(junit.statusCode()).as(junit.body()).isEqualTo(200);
        assertThat(junit.headers().firstValue("Content-Type").orElse("")).startsWith("application/xml");
        assertThat(junit.body()).contains("<testsuite", "<error message=\"the dense baseline could not be built");
        assertThat(api.get("gates").findValuesAsString("id")).contains(gateId);
    }

    /** A zip archive of the given text files. */
    static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A GET of a text (non-JSON) answer through the router, as a CI script fetches a gate's reports. */
    private static HttpResponse<String> getText(String url, String token, String path, String accept) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/" + path)).header("Authorization", "Bearer " + token)
                .header("Accept", accept + ", application/problem+json").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A second job of the same model cancelled at once; a member token issued, the tokens listed, the
     * member token revoked; the gates listed.
     */
    private static void cancelAndAdminister(CoordinatorClient api, String url, String token, JsonNode done) throws Exception {
        ObjectNode again = CoordinatorClient.object().put("modelId", done.path("modelId").asString())
                .put("latencyTargetMs", 50.0).put("maxAccuracyDrop", 5.0);
        again.set("deviceIds", done.path("deviceIds"));
        String id = api.post("jobs", again).path("id").asString();
        // cancel has no request body (as the dashboard sends it); CoordinatorClient.post always sends one
        HttpResponse<String> cancelled = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/jobs/" + id + "/cancel"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
        assertThat(CoordinatorClient.JSON.readTree(cancelled.body()).path("state").asString()).isEqualTo("CANCELLED");
        JsonNode member = api.post("tokens", CoordinatorClient.object().put("name", "contract-member").put("role", "member"));
        assertThat(member.path("secret").asString()).isNotBlank();
        assertThat(api.get("tokens").size()).isGreaterThanOrEqualTo(2);
        HttpResponse<String> revoked = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/tokens/" + member.path("id").asString()))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json, application/problem+json")
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        JsonNode revokedToken = CoordinatorClient.JSON.readTree(revoked.body());
        assertThat(revokedToken.path("revokedAt").asString()).as(revoked.body()).isNotBlank();
        assertThat(revokedToken.has("secret")).as("no secret after creation").isFalse();
        // the revoked secret no longer opens the API
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/me"))
                .header("Authorization", "Bearer " + member.path("secret").asString()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
        api.get("gates");
    }
}
