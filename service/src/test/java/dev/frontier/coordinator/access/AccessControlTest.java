package dev.frontier.coordinator.access;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

import dev.frontier.coordinator.api.model.JobRequest;
import dev.frontier.coordinator.artifact.Sha256;
import dev.frontier.coordinator.job.JobService;
import dev.frontier.coordinator.lease.TaskService;
import dev.frontier.coordinator.support.Api;
import dev.frontier.coordinator.support.IntegrationTest;
import dev.frontier.coordinator.trial.TrialService;

import static org.assertj.core.api.Assertions.assertThat;

/** Tokens, roles and "a worker acts only for itself", through real HTTP against the real coordinator. */
@ExtendWith(OutputCaptureExtension.class)
class AccessControlTest extends IntegrationTest {
    @Autowired
    JobService jobs;
    @Autowired
    TrialService trials;
    @Autowired
    TaskService tasks;

    private String token(String name, String role) {
        Api.Response r = api.post("/api/v1/tokens", Map.of("name", name, "role", role));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.text("secret")).startsWith("frt_");
        return r.text("secret");
    }

    private static void assertProblem(Api.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
        assertThat(r.json().path("detail").asString()).isNotBlank();
    }

    @Test
    void everyApiCallNeedsAValidToken() {
        assertProblem(api.as(null).get("/api/v1/jobs"), 401);
        assertThat(api.as(null).get("/api/v1/jobs").body()).doesNotContain("Exception");
        assertProblem(api.as("frt_not-a-real-token").get("/api/v1/jobs"), 401);
        assertProblem(api.as(null).post("/api/v1/devices", Map.of("name", "x", "hardware", Map.of())), 401);
        // what must stay reachable without one: probes, the dashboard, the API description
        assertThat(api.as(null).get("/actuator/health").status()).isEqualTo(200);
        assertThat(api.as(null).get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(api.as(null).get("/").status()).isEqualTo(200);
        Api.Response docs = api.as(null).get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().path("components").path("securitySchemes").path("bearerAuth").path("scheme").asString())
                .as("Swagger UI can authorize with a token").isEqualTo("bearer");
        assertProblem(api.as(null).get("/actuator/prometheus"), 401);
        assertThat(api.get("/actuator/prometheus").status()).as("admins may scrape").isEqualTo(200);
    }

    @Test
    void membersRunSearchesButDoNotManageTokensDevicesOrLeases() {
        Api member = api.as(token("ci pipeline", "member"));
        assertThat(member.get("/api/v1/me").text("role")).isEqualTo("member");
        assertThat(member.get("/api/v1/jobs").status()).isEqualTo(200);
        assertThat(member.get("/api/v1/devices").status()).isEqualTo(200);
        Api.Response upload = member.multipart("/api/v1/models", Map.of("name", "member-model", "format", "frontier-ir",
                "inputShape", "1,28,28"), ("m " + UUID.randomUUID()).getBytes());
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);

        assertProblem(member.get("/api/v1/tokens"), 403);
        assertProblem(member.post("/api/v1/tokens", Map.of("name", "escalate", "role", "admin")), 403);
        assertProblem(member.post("/api/v1/devices", Map.of("name", "m-dev", "hardware", Map.of())), 403);
        assertProblem(member.post("/api/v1/workers", Map.of("name", "w", "roles", List.of("build"))), 403);
        assertProblem(member.post("/api/v1/leases", Map.of("workerId", UUID.randomUUID().toString())), 403);
        assertProblem(member.postBytes("/api/v1/artifacts", "x".getBytes()), 403);
        assertThat(member.get("/api/v1/tokens").body()).contains("member token may not").doesNotContain("Exception");
    }

    @Test
    void anEnrollmentTokenRegistersAWorkerThatThenActsOnlyForItself() {
        Api enroll = api.as(token("edge pool", "worker"));
        assertThat(enroll.get("/api/v1/me").json().path("enrollment").asBoolean()).isTrue();
        Api.Response dev = enroll.post("/api/v1/devices", Map.of("name", "enrolled-dev", "hardware", Map.of("cores", 2)));
        assertThat(dev.status()).as(dev.body()).isEqualTo(201);
        assertThat(enroll.get("/api/v1/devices").status()).isEqualTo(200);
        // an enrollment token can do nothing else
        assertProblem(enroll.get("/api/v1/jobs"), 403);
        assertProblem(enroll.post("/api/v1/leases", Map.of("workerId", UUID.randomUUID().toString())), 403);

        Api.Response reg = enroll.post("/api/v1/workers", Map.of("name", "w-a", "roles", List.of("build")));
        assertThat(reg.status()).as(reg.body()).isEqualTo(201);
        UUID workerA = reg.id();
        Api asA = api.as(reg.text("token"));
        assertThat(asA.get("/api/v1/me").text("workerId")).isEqualTo(workerA.toString());
        Api.Response regB = enroll.post("/api/v1/workers", Map.of("name", "w-b", "roles", List.of("build")));
        UUID workerB = regB.id();
        assertThat(regB.text("token")).isNotEqualTo(reg.text("token"));
        assertThat(api.get("/api/v1/workers").body()).as("the list never shows tokens").doesNotContain(reg.text("token"));

        // a bound worker token cannot register more workers, nor read the token list
        assertProblem(asA.post("/api/v1/workers", Map.of("name", "w-c", "roles", List.of("build"))), 403);
        assertProblem(asA.get("/api/v1/tokens"), 403);
        assertProblem(asA.post("/api/v1/jobs", Map.of()), 403);

        // it leases for itself, not for B
        seedBuild();
        Api.Response forB = asA.post("/api/v1/leases", Map.of("workerId", workerB.toString()));
        assertProblem(forB, 403);
        assertThat(forB.json().path("field").asString()).isEqualTo("workerId");
        Api.Response mine = asA.post("/api/v1/leases", Map.of("workerId", workerA.toString(), "max", 1));
        assertThat(mine.status()).as(mine.body()).isEqualTo(200);
        JsonNode lease = mine.json().path("leases").get(0);
        String leaseId = lease.path("id").asString();

        // B may not report on A's lease: 403 when it claims to be A, 409 (foreign lease) as itself
        Api asB = api.as(regB.text("token"));
        assertProblem(asB.post("/api/v1/leases/" + leaseId + "/complete",
                Map.of("workerId", workerA.toString(), "result", Map.of("accuracy", 90.0))), 403);
        assertProblem(asB.post("/api/v1/leases/" + leaseId + "/fail",
                Map.of("workerId", workerB.toString(), "reason", "not mine", "retryable", true)), 409);
        assertProblem(asB.post("/api/v1/leases/" + leaseId + "/heartbeat", Map.of("workerId", workerA.toString())), 403);

        Api.Response hb = asA.post("/api/v1/leases/" + leaseId + "/heartbeat", Map.of("workerId", workerA.toString(), "progress", 0.5));
        assertThat(hb.status()).as(hb.body()).isEqualTo(200);
        String sha = Sha256.hex(("artifact of " + leaseId).getBytes());
        assertThat(asA.putBytes("/api/v1/artifacts/" + sha, ("artifact of " + leaseId).getBytes()).status()).isIn(200, 201);
        Api.Response done = asA.post("/api/v1/leases/" + leaseId + "/complete", Map.of("workerId", workerA.toString(),
                "result", Map.of("accuracy", 90.0, "sizeBytes", 10), "artifactSha256", sha));
        assertThat(done.status()).as(done.body()).isEqualTo(200);
    }

    @Test
    void secretsAreStoredHashedShownOnceAndNeverLogged(CapturedOutput output) {
        Api.Response created = api.post("/api/v1/tokens", Map.of("name", "hash-check", "role", "member"));
        String secret = created.text("secret");
        UUID id = created.id();
        assertThat(api.as(secret).get("/api/v1/jobs").status()).isEqualTo(200);
        String stored = jdbc.queryForObject("SELECT token_hash FROM api_token WHERE id = ?", String.class, id);
        assertThat(stored).isEqualTo(Sha256.hex(secret.getBytes())).isNotEqualTo(secret);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM api_token WHERE token_hash = ? OR prefix = ? OR name = ?",
                Long.class, secret, secret, secret)).isZero();
        JsonNode listed = api.get("/api/v1/tokens").json();
        assertThat(listed.toString()).doesNotContain(secret).doesNotContain("\"secret\"");
        assertThat(listed.findValuesAsString("prefix")).allMatch(p -> p.length() <= 9);
        assertThat(output.getAll()).doesNotContain(secret);
    }

    @Test
    void aRevokedTokenStopsWorkingAndTheLastAdminCannotBeRevoked() {
        Api.Response created = api.post("/api/v1/tokens", Map.of("name", "short-lived", "role", "admin"));
        Api temp = api.as(created.text("secret"));
        assertThat(temp.get("/api/v1/tokens").status()).isEqualTo(200);
        Api.Response revoked = api.send("DELETE", "/api/v1/tokens/" + created.id(), Map.of());
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.text("revokedAt")).isNotBlank();
        assertProblem(temp.get("/api/v1/tokens"), 401);
        assertProblem(api.send("DELETE", "/api/v1/tokens/" + UUID.randomUUID(), Map.of()), 404);

        // the test profile's admin token is the only other active admin here unless tests made more
        List<String> admins = jdbc.queryForList("SELECT id::text FROM api_token WHERE role = 'ADMIN' AND revoked_at IS NULL", String.class);
        UUID self = UUID.fromString(api.get("/api/v1/me").text("tokenId"));
        for (String other : admins) {
            if (!other.equals(self.toString())) api.send("DELETE", "/api/v1/tokens/" + other, Map.of());
        }
        assertProblem(api.send("DELETE", "/api/v1/tokens/" + self, Map.of()), 409);
        assertThat(api.get("/api/v1/tokens").status()).isEqualTo(200);
    }

    @Test
    void corsIsClosedByDefault() {
        Api.Response preflight = api.as(null).send("OPTIONS", "/api/v1/jobs", Map.of(
                "Origin", "https://elsewhere.example", "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type"));
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEmpty();
        Api.Response get = api.send("GET", "/api/v1/jobs", Map.of("Origin", "https://elsewhere.example"));
        assertThat(get.header("Access-Control-Allow-Origin")).as("a browser on another origin may not read the answer").isEmpty();
    }

    @Test
    void configuredOriginsAreTheOnlyOnesAllowed() {
        org.springframework.mock.web.MockHttpServletRequest req = new org.springframework.mock.web.MockHttpServletRequest("GET", "/api/v1/jobs");
        req.setRequestURI("/api/v1/jobs");
        org.springframework.web.cors.CorsConfiguration c = SecurityConfig.cors(List.of("https://ui.example")).getCorsConfiguration(req);
        assertThat(c).isNotNull();
        assertThat(c.checkOrigin("https://ui.example")).isEqualTo("https://ui.example");
        assertThat(c.checkOrigin("https://elsewhere.example")).isNull();
        assertThat(SecurityConfig.cors(List.of()).getCorsConfiguration(req)).isNull();
    }

    private void seedBuild() {
        jdbc.update("UPDATE task SET state = 'CANCELLED' WHERE state IN ('QUEUED', 'LEASED')");
        UUID model = model("access-model-" + UUID.randomUUID());
        jdbc.update("UPDATE model SET profile = '{\"layers\":[]}' WHERE id = ?", model);
        UUID job = jobs.create(new JobRequest(model, List.of(device("access-dev-" + UUID.randomUUID())), 10.0, 1.0)).getId();
        List<UUID> ids = trials.create(job, List.of(new TrialService.NewTrial(1, dev.frontier.coordinator.support.TestConfigs.distinct(0), 1.0)));
        tasks.enqueueBuilds(job, ids);
    }
}
