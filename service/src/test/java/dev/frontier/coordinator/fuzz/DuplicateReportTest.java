package dev.frontier.coordinator.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import dev.frontier.coordinator.job.SearchStepper;
import dev.frontier.coordinator.support.Api;
import dev.frontier.coordinator.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a flaky link does to reports: the same completion arrives many times at once (a retry racing
 * the original), and reports arrive after the task already finished. Each is idempotent or a 409,
 * and a trial never gets a second measurement or a changed result.
 */
class DuplicateReportTest extends IntegrationTest {
    @Autowired
    SearchStepper stepper;

    @Test
    void racingDuplicatesAndLateReportsNeverCountTwice() throws Exception {
        UUID dev = device("dup-device");
        UUID builder = worker("dup-builder", null, "build");
        UUID agent = worker("dup-agent", dev, "measure");
        UUID model = model("dup-model");
        UUID job = api.post("/api/v1/jobs", Map.of("modelId", model.toString(), "deviceIds", List.of(dev.toString()),
                "latencyTargetMs", 5.0, "maxAccuracyDrop", 1.0, "budget", Map.of("maxTrials", 1))).id();

        JsonNode profile = lease(builder, 1).json().path("leases").get(0);
        List<Api.Response> profiles = race("/api/v1/leases/" + profile.path("id").asString() + "/complete",
                Map.of("workerId", builder.toString(), "result", PROFILE));
        profiles.forEach(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));

        stepper.step(job);
        JsonNode build = lease(builder, 1).json().path("leases").get(0);
        String trial = build.path("trialId").asString();
        String sha = artifact("dup artifact " + UUID.randomUUID());
        Map<String, Object> built = Map.of("workerId", builder.toString(), "result", Map.of("accuracy", 90.0, "sizeBytes", 100),
                "artifactSha256", sha);
        race("/api/v1/leases/" + build.path("id").asString() + "/complete", built)
                .forEach(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM task WHERE trial_id = ?::uuid AND kind = 'MEASURE'", Integer.class, trial))
                .as("one MEASURE task however many times the build was reported").isEqualTo(1);

        JsonNode measure = lease(agent, 1).json().path("leases").get(0);
        String measurePath = "/api/v1/leases/" + measure.path("id").asString() + "/complete";
        Map<String, Object> latency = Map.of("workerId", agent.toString(), "result", Map.of("medianMs", 4.0));
        race(measurePath, latency).forEach(r -> assertThat(r.status()).as(r.body()).isEqualTo(200));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM measurement WHERE trial_id = ?::uuid", Integer.class, trial))
                .as("one measurement per device").isEqualTo(1);
        assertThat(api.get("/api/v1/trials/" + trial).text("state")).isEqualTo("DONE");

        // late and contradictory reports on the finished work: refused or idempotent, nothing changes
        String before = jdbc.queryForObject("SELECT md5(string_agg(t::text, ',')) FROM (SELECT * FROM trial WHERE id = ?::uuid) t", String.class, trial);
        Api.Response other = api.post(measurePath, Map.of("workerId", agent.toString(), "result", Map.of("medianMs", 1.0)));
        assertThat(other.status()).isEqualTo(409);
        Api.Response failAfter = api.post("/api/v1/leases/" + measure.path("id").asString() + "/fail",
                Map.of("workerId", agent.toString(), "reason", "late failure", "retryable", true));
        assertThat(failAfter.status()).isEqualTo(409);
        Api.Response beatAfter = api.post("/api/v1/leases/" + measure.path("id").asString() + "/heartbeat",
                Map.of("workerId", agent.toString(), "progress", 0.5));
        assertThat(beatAfter.status()).isEqualTo(409);
        Api.Response buildAgain = api.post("/api/v1/leases/" + build.path("id").asString() + "/complete",
                Map.of("workerId", builder.toString(), "result", Map.of("accuracy", 10.0), "artifactSha256", sha));
        assertThat(buildAgain.status()).isEqualTo(409);
        for (Api.Response r : List.of(other, failAfter, beatAfter, buildAgain)) assertThat(r.contentType()).startsWith("application/problem+json");
        String after = jdbc.queryForObject("SELECT md5(string_agg(t::text, ',')) FROM (SELECT * FROM trial WHERE id = ?::uuid) t", String.class, trial);
        assertThat(after).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM measurement WHERE trial_id = ?::uuid", Integer.class, trial)).isEqualTo(1);
    }

    /** The same report sent eight times at once, as retries racing the original would. */
    private List<Api.Response> race(String path, Map<String, Object> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < 8; i++) futures.add(pool.submit(() -> new Api(port).post(path, body)));
            List<Api.Response> out = new ArrayList<>();
            for (Future<Api.Response> f : futures) out.add(f.get());
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
