package dev.frontier.coordinator.lease;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import dev.frontier.coordinator.api.model.JobRequest;
import dev.frontier.coordinator.job.JobService;
import dev.frontier.coordinator.support.Api;
import dev.frontier.coordinator.support.IntegrationTest;
import dev.frontier.coordinator.trial.TrialService;

import static org.assertj.core.api.Assertions.assertThat;

/** The lease protocol as a worker sees it over HTTP, against real PostgreSQL. */
class LeaseContractTest extends IntegrationTest {
    @Autowired
    TrialService trials;
    @Autowired
    TaskService tasks;
    @Autowired
    LeaseService leases;
    @Autowired
    JobService jobs;

    UUID device;
    UUID jobId;
    String sha;

    @BeforeEach
    void job() {
        device = device("lease-dev");
        UUID model = model("lease-model");
        jdbc.update("UPDATE model SET profile = '{\"layers\":[]}' WHERE id = ?", model);
        jobId = jobs.create(new JobRequest(model, List.of(device), 10.0, 1.0)).getId();
        sha = artifact("built-" + UUID.randomUUID());
    }

    /** Trial numbers unique within the job across every batch (random ones collided now and then). */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_SEQ = new java.util.concurrent.atomic.AtomicInteger(1000);

    private List<UUID> seedBuilds(int n) {
        List<TrialService.NewTrial> batch = IntStream.range(0, n)
                .mapToObj(i -> new TrialService.NewTrial(NEXT_SEQ.getAndIncrement(), dev.frontier.coordinator.support.TestConfigs.distinct(i), 1.0)).toList();
        List<UUID> ids = trials.create(jobId, batch);
        tasks.enqueueBuilds(jobId, ids);
        return ids;
    }

    private JsonNode single(UUID worker) {
        JsonNode leases = lease(worker, 1).json().path("leases");
        assertThat(leases.size()).isEqualTo(1);
        return leases.get(0);
    }

    private Map<String, Object> complete(UUID worker, double accuracy) {
        return Map.of("workerId", worker.toString(), "result", Map.of("accuracy", accuracy, "sizeBytes", 1234), "artifactSha256", sha);
    }

    private void expire(String leaseId) {
        jdbc.update("UPDATE lease SET expires_at = now() - interval '1 second' WHERE id = ?::uuid", leaseId);
    }

    private String trialState(String trialId) {
        return jdbc.queryForObject("SELECT state FROM trial WHERE id = ?::uuid", String.class, trialId);
    }

    @Test
    void concurrentWorkersNeverGetTheSameTask() throws Exception {
        int tasksCount = 300;
        seedBuilds(tasksCount);
        int threads = 16;
        List<UUID> workers = IntStream.range(0, threads).mapToObj(i -> worker("w" + i, null, "build")).toList();
        List<String> claimed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (UUID w : workers) {
                futures.add(pool.submit(() -> {
                    Api client = new Api(port);
                    while (true) {
                        JsonNode got = client.post("/api/v1/leases", Map.of("workerId", w.toString(), "max", 3)).json().path("leases");
                        if (got.isEmpty()) return null;
                        got.forEach(l -> claimed.add(l.path("taskId").asString()));
                    }
                }));
            }
            for (Future<?> f : futures) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertThat(claimed).hasSize(tasksCount);
        assertThat(new HashSet<>(claimed)).hasSize(tasksCount);
        Integer leased = jdbc.queryForObject("SELECT count(*) FROM task WHERE job_id = ? AND kind = 'BUILD' AND state = 'LEASED'",
                Integer.class, jobId);
        assertThat(leased).isEqualTo(tasksCount);
    }

    @Test
    void leaseCarriesWhatTheWorkerNeeds() {
        List<UUID> ids = seedBuilds(1);
        UUID w = worker("needs", null, "build");
        JsonNode l = single(w);
        assertThat(l.path("kind").asString()).isEqualTo("BUILD");
        assertThat(l.path("trialId").asString()).isEqualTo(ids.get(0).toString());
        assertThat(l.path("jobId").asString()).isEqualTo(jobId.toString());
        assertThat(l.path("modelSha256").asString()).hasSize(64);
        assertThat(l.path("config").path("i").asInt()).isZero();
        assertThat(l.path("fidelity").asDouble()).isEqualTo(1.0);
        assertThat(l.path("attempt").asInt()).isEqualTo(1);
        assertThat(l.path("expiresAt").asString()).isNotBlank();
        assertThat(trialState(l.path("trialId").asString())).isEqualTo("BUILDING");
    }

    @Test
    void expiredLeaseReturnsToTheQueueWithTheAttemptCounted() {
        seedBuilds(1);
        UUID w1 = worker("dies", null, "build");
        UUID w2 = worker("takes-over", null, "build");
        JsonNode first = single(w1);
        expire(first.path("id").asString());
        // a report after expiry but before the reaper ran is refused
        Api.Response late = api.post("/api/v1/leases/" + first.path("id").asString() + "/complete", complete(w1, 90));
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.contentType()).startsWith("application/problem+json");
        assertThat(late.text("detail")).contains("expired");

        assertThat(leases.reapExpired(100)).isEqualTo(1);
        assertThat(trialState(first.path("trialId").asString())).isEqualTo("QUEUED");
        JsonNode second = single(w2);
        assertThat(second.path("taskId").asString()).isEqualTo(first.path("taskId").asString());
        assertThat(second.path("attempt").asInt()).isEqualTo(2);
        // and after the reaper, the old lease is still refused
        assertThat(api.post("/api/v1/leases/" + first.path("id").asString() + "/complete", complete(w1, 90)).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/leases/" + second.path("id").asString() + "/complete", complete(w2, 90)).status()).isEqualTo(200);
    }

    @Test
    void afterTheRetryLimitTaskAndTrialFailWithTheReason() {
        seedBuilds(1);
        UUID w = worker("flaky", null, "build");
        String trialId = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            JsonNode l = single(w);
            assertThat(l.path("attempt").asInt()).isEqualTo(attempt);
            trialId = l.path("trialId").asString();
            expire(l.path("id").asString());
            leases.reapExpired(100);
        }
        assertThat(lease(w, 1).json().path("leases").size()).isZero();
        Map<String, Object> task = jdbc.queryForMap("SELECT state, attempts, last_error FROM task WHERE trial_id = ?::uuid", trialId);
        assertThat(task.get("state")).isEqualTo("FAILED");
        assertThat(task.get("attempts")).isEqualTo(3);
        assertThat((String) task.get("last_error")).contains("lease expired").contains("giving up after 3 attempts");
        JsonNode trial = api.get("/api/v1/trials/" + trialId).json();
        assertThat(trial.path("state").asString()).isEqualTo("FAILED");
        assertThat(trial.path("error").asString()).contains("lease expired");
        assertThat(trial.path("errorKind").asString()).isEqualTo("LEASE_EXPIRED");
        assertThat(trial.path("attempts").asInt()).isEqualTo(3);
    }

    @Test
    void completionIsIdempotentAndADifferentSecondResultConflicts() {
        seedBuilds(1);
        UUID w = worker("twice", null, "build");
        JsonNode l = single(w);
        String path = "/api/v1/leases/" + l.path("id").asString() + "/complete";
        Api.Response once = api.post(path, complete(w, 91.5));
        Api.Response again = api.post(path, complete(w, 91.5));
        assertThat(once.status()).isEqualTo(200);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.text("state")).isEqualTo("COMPLETED");
        assertThat(again.text("taskState")).isEqualTo("DONE");
        Integer measures = jdbc.queryForObject("SELECT count(*) FROM task WHERE trial_id = ?::uuid AND kind = 'MEASURE'",
                Integer.class, l.path("trialId").asString());
        assertThat(measures).isEqualTo(1);
        assertThat(trialState(l.path("trialId").asString())).isEqualTo("BUILT");
        Api.Response different = api.post(path, complete(w, 50));
        assertThat(different.status()).isEqualTo(409);
        assertThat(api.get("/api/v1/trials/" + l.path("trialId").asString()).json().path("accuracy").asDouble()).isEqualTo(91.5);
    }

    @Test
    void reportsOnAForeignLeaseConflict() {
        seedBuilds(1);
        UUID owner = worker("owner", null, "build");
        UUID thief = worker("thief", null, "build");
        JsonNode l = single(owner);
        String id = l.path("id").asString();
        Api.Response complete = api.post("/api/v1/leases/" + id + "/complete", complete(thief, 90));
        assertThat(complete.status()).isEqualTo(409);
        assertThat(complete.text("detail")).contains("another worker");
        assertThat(api.post("/api/v1/leases/" + id + "/heartbeat", Map.of("workerId", thief.toString())).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/leases/" + id + "/fail", Map.of("workerId", thief.toString(), "reason", "x")).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/leases/" + UUID.randomUUID() + "/complete", complete(owner, 90)).status()).isEqualTo(404);
    }

    @Test
    void heartbeatExtendsTheLease() {
        seedBuilds(1);
        UUID w = worker("beats", null, "build");
        JsonNode l = single(w);
        String id = l.path("id").asString();
        jdbc.update("UPDATE lease SET expires_at = now() + interval '2 seconds' WHERE id = ?::uuid", id);
        Api.Response hb = api.post("/api/v1/leases/" + id + "/heartbeat", Map.of("workerId", w.toString(), "progress", 0.5, "message", "epoch 1"));
        assertThat(hb.status()).isEqualTo(200);
        java.sql.Timestamp expires = jdbc.queryForObject("SELECT expires_at FROM lease WHERE id = ?::uuid", java.sql.Timestamp.class, id);
        assertThat(expires.toInstant()).isAfter(java.time.Instant.now().plusSeconds(30));
        assertThat(api.post("/api/v1/leases/" + id + "/heartbeat", Map.of("workerId", w.toString(), "progress", 1.5)).status()).isEqualTo(400);
    }

    @Test
    void retryableFailureRequeuesAndFinalFailureKeepsTheReason() {
        seedBuilds(1);
        UUID w = worker("fails", null, "build");
        JsonNode l = single(w);
        Api.Response retry = api.post("/api/v1/leases/" + l.path("id").asString() + "/fail",
                Map.of("workerId", w.toString(), "reason", "out of memory", "retryable", true, "errorKind", "OOM"));
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.text("taskState")).isEqualTo("QUEUED");
        assertThat(trialState(l.path("trialId").asString())).isEqualTo("QUEUED");
        JsonNode again = single(w);
        Api.Response fatal = api.post("/api/v1/leases/" + again.path("id").asString() + "/fail",
                Map.of("workerId", w.toString(), "reason", "unsupported layer type", "retryable", false, "errorKind", "COMPILE_ERROR"));
        assertThat(fatal.text("taskState")).isEqualTo("FAILED");
        JsonNode trial = api.get("/api/v1/trials/" + l.path("trialId").asString()).json();
        assertThat(trial.path("state").asString()).isEqualTo("FAILED");
        assertThat(trial.path("error").asString()).isEqualTo("unsupported layer type");
        assertThat(trial.path("errorKind").asString()).isEqualTo("COMPILE_ERROR");
        // failing twice is idempotent
        assertThat(api.post("/api/v1/leases/" + again.path("id").asString() + "/fail",
                Map.of("workerId", w.toString(), "reason", "unsupported layer type")).status()).isEqualTo(200);
    }

    @Test
    void measureTasksGoOnlyToTheirDeviceOneAtATime() {
        seedBuilds(2);
        UUID builder = worker("builder", null, "build");
        UUID other = device("other-dev");
        UUID wrongAgent = worker("wrong-agent", other, "measure");
        UUID agent1 = worker("agent1", device, "measure");
        UUID agent2 = worker("agent2", device, "measure");
        for (JsonNode l : lease(builder, 2).json().path("leases")) {
            assertThat(api.post("/api/v1/leases/" + l.path("id").asString() + "/complete", complete(builder, 88)).status()).isEqualTo(200);
        }
        assertThat(lease(wrongAgent, 5).json().path("leases").size()).isZero();
        JsonNode m = lease(agent1, 5).json().path("leases");
        assertThat(m.size()).isEqualTo(1);
        assertThat(m.get(0).path("kind").asString()).isEqualTo("MEASURE");
        assertThat(m.get(0).path("deviceId").asString()).isEqualTo(device.toString());
        assertThat(m.get(0).path("artifactSha256").asString()).isEqualTo(sha);
        // exclusive per device: the second agent of the same device waits for the first to finish
        assertThat(lease(agent2, 1).json().path("leases").size()).isZero();
        Api.Response done = api.post("/api/v1/leases/" + m.get(0).path("id").asString() + "/complete",
                Map.of("workerId", agent1.toString(), "result", Map.of("medianMs", 4.2, "p10Ms", 4.0, "p90Ms", 4.5, "estimated", false)));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(trialState(m.get(0).path("trialId").asString())).isEqualTo("DONE");
        assertThat(lease(agent2, 1).json().path("leases").size()).isEqualTo(1);
        // a builder never gets measurements, a measurer may not claim roles it does not have
        assertThat(api.post("/api/v1/leases", Map.of("workerId", agent2.toString(), "roles", List.of("build"))).status()).isEqualTo(422);
        assertThat(api.post("/api/v1/leases", Map.of("workerId", agent2.toString(), "deviceId", other.toString())).status()).isEqualTo(422);
    }

    @Test
    void longPollWaitsForWorkAndReturnsEmptyOnTimeout() throws Exception {
        UUID w = worker("poller", null, "build");
        long t0 = System.nanoTime();
        Api.Response empty = api.post("/api/v1/leases", Map.of("workerId", w.toString(), "waitSeconds", 1));
        assertThat(empty.json().path("leases").size()).isZero();
        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(900);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Api.Response> waiting = pool.submit(() -> new Api(port).post("/api/v1/leases",
                    Map.of("workerId", w.toString(), "waitSeconds", 10)));
            Thread.sleep(300);
            long t1 = System.nanoTime();
            seedBuilds(1);
            Api.Response got = waiting.get();
            assertThat(got.json().path("leases").size()).isEqualTo(1);
            assertThat((System.nanoTime() - t1) / 1_000_000).isLessThan(5_000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badCompletionsAreRefusedAndChangeNothing() {
        seedBuilds(1);
        UUID w = worker("sloppy", null, "build");
        JsonNode l = single(w);
        String path = "/api/v1/leases/" + l.path("id").asString() + "/complete";
        Api.Response noAccuracy = api.post(path, Map.of("workerId", w.toString(), "result", Map.of(), "artifactSha256", sha));
        assertThat(noAccuracy.status()).isEqualTo(422);
        assertThat(noAccuracy.text("field")).isEqualTo("result.accuracy");
        Api.Response noArtifact = api.post(path, Map.of("workerId", w.toString(), "result", Map.of("accuracy", 90)));
        assertThat(noArtifact.text("field")).isEqualTo("artifactSha256");
        Api.Response unknownArtifact = api.post(path, Map.of("workerId", w.toString(), "result", Map.of("accuracy", 90),
                "artifactSha256", "0".repeat(64)));
        assertThat(unknownArtifact.status()).isEqualTo(422);
        // a property the contract does not have (openapi.yaml: additionalProperties false) is refused, by its path
        Api.Response unknown = api.post(path, Map.of("workerId", w.toString(), "result", Map.of("accuracy", 90, "_structured", 0.5),
                "artifactSha256", sha));
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.text("field")).isEqualTo("result._structured");
        Api.Response unknownInside = api.post(path, Map.of("workerId", w.toString(), "result",
                Map.of("accuracy", 90, "timings", Map.of("compress", 12.5, "warmup", 3)), "artifactSha256", sha));
        assertThat(unknownInside.status()).isEqualTo(422);
        assertThat(unknownInside.text("field")).isEqualTo("result.timings.warmup");
        Api.Response malformed = api.post(path, "{\"workerId\": \"not-a-uuid\", \"result\": {}}");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.text("field")).isEqualTo("workerId");
        assertThat(trialState(l.path("trialId").asString())).isEqualTo("BUILDING");
        Set<String> states = new HashSet<>(jdbc.queryForList("SELECT state FROM lease WHERE id = ?::uuid", String.class, l.path("id").asString()));
        assertThat(states).containsExactly("ACTIVE");
    }
}
