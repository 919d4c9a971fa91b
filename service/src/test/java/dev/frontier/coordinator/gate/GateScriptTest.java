package dev.frontier.coordinator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import com.sun.net.httpserver.HttpServer;

import dev.frontier.coordinator.job.SearchStepper;
import dev.frontier.coordinator.support.IntegrationTest;

/**
 * The shipped {@code deploy/ci/frontier-gate} script (bash + curl) against the running coordinator:
 * pass, fail, regression and the error paths with their exit codes (0, 1, 2).
 *
 * <p>The worker side here is a fixture at the system edge (the real worker is tested end to end in
 * the worker module): it completes leases with metrics derived from how many layers a trial prunes,
 * so each scenario has a known answer.
 */
class GateScriptTest extends IntegrationTest {
    static final Path SCRIPT = Path.of("../deploy/ci/frontier-gate");
    @Autowired
    SearchStepper stepper;
    @TempDir
    Path tmp;

    record Run(int exit, String output) {
    }

    @Test
    void passFailAndRegression() throws Exception {
        String device = "gate-dev-" + UUID.randomUUID().toString().substring(0, 8);
        UUID dev = device(device);
        Fixture fixture = new Fixture(dev, 0);
        String modelName = "gated-" + UUID.randomUUID().toString().substring(0, 8);

        Run pass = gate(fixture, modelName, device, "5", "--junit", tmp.resolve("pass.xml").toString());
        assertThat(pass.exit()).as(pass.output()).isZero();
        assertThat(pass.output()).contains("PASS").contains("| latency | pass |");
        String junit = Files.readString(tmp.resolve("pass.xml"));
        assertThat(junit).contains("<testsuite name=\"frontier-gate\"").contains("failures=\"0\"").contains("name=\"regression\"");

        Run fail = gate(fixture, modelName + "-tight", device, "0.5", "--junit", tmp.resolve("fail.xml").toString());
        assertThat(fail.exit()).as(fail.output()).isEqualTo(1);
        assertThat(fail.output()).contains("FAIL").contains("| latency | **fail** |");
        assertThat(Files.readString(tmp.resolve("fail.xml"))).contains("<failure message=");

        // same model name and device, a worse model: the accuracy drop against the last pass is too big
        Run regressed = gate(new Fixture(dev, 3.0), modelName, device, "5");
        assertThat(regressed.exit()).as(regressed.output()).isEqualTo(1);
        assertThat(regressed.output()).contains("| regression | **fail** | against gate");
    }

    @Test
    void errorPathsExitWithTwoAndSayWhy() throws Exception {
        Path model = Files.write(tmp.resolve("m.frir"), "model".getBytes());
        Run unreachable = script("--coordinator", "http://127.0.0.1:1", "--model", model.toString(), "--device", "d",
                "--latency-ms", "5");
        assertThat(unreachable.exit()).isEqualTo(2);
        assertThat(unreachable.output()).contains("unreachable");

        HttpServer refusing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        refusing.createContext("/", ex -> {
            byte[] body = "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"bad token\"}".getBytes();
            ex.getResponseHeaders().add("Content-Type", "application/problem+json");
            ex.sendResponseHeaders(401, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        refusing.start();
        try {
            Run badToken = script("--coordinator", "http://127.0.0.1:" + refusing.getAddress().getPort(), "--token", "nope",
                    "--model", model.toString(), "--device", "d", "--latency-ms", "5");
            assertThat(badToken.exit()).isEqualTo(2);
            assertThat(badToken.output()).contains("refused the token");
        } finally {
            refusing.stop(0);
        }

        String device = "gate-idle-" + UUID.randomUUID().toString().substring(0, 8);
        device(device);
        Run timeout = script("--coordinator", "http://localhost:" + port, "--model", model.toString(), "--device", device,
                "--latency-ms", "5", "--timeout", "2");
        assertThat(timeout.exit()).as(timeout.output()).isEqualTo(2);
        assertThat(timeout.output()).contains("timed out");

        Run unknownDevice = script("--coordinator", "http://localhost:" + port, "--model", model.toString(), "--device",
                "no-such-device", "--latency-ms", "5");
        assertThat(unknownDevice.exit()).isEqualTo(2);
        assertThat(unknownDevice.output()).contains("no registered device named 'no-such-device'");

        Run badInput = script("--coordinator", "http://localhost:" + port, "--model", model.toString(), "--device", device,
                "--latency-ms", "-3");
        assertThat(badInput.exit()).isEqualTo(2);
        assertThat(badInput.output()).contains("--latency-ms must be a positive number");
    }

    private Run gate(Fixture fixture, String modelName, String device, String latency, String... extra) throws Exception {
        Path model = Files.write(tmp.resolve(modelName + ".frir"), ("model " + modelName + UUID.randomUUID()).getBytes());
        List<String> args = new ArrayList<>(List.of("--coordinator", "http://localhost:" + port, "--model", model.toString(),
                "--model-name", modelName, "--device", device, "--latency-ms", latency, "--max-drop", "1",
                "--budget-trials", "4", "--timeout", "120"));
        args.addAll(List.of(extra));
        Process p = start(args);
        while (p.isAlive()) {
            fixture.work();
            Thread.sleep(100);
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private Run script(String... args) throws Exception {
        Process p = start(List.of(args));
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private String member;

    private String memberToken() {
        if (member == null) member = api.post("/api/v1/tokens", java.util.Map.of("name", "gate pipeline", "role", "member")).text("secret");
        return member;
    }

    private Process start(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("FRONTIER_URL");
        // a pipeline runs the gate with a member token, as the README tells users to
        pb.environment().put("FRONTIER_TOKEN", memberToken());
        return pb.start();
    }

    /** Simulated build and measure worker: accuracy and latency fall as more layers are pruned. */
    private final class Fixture {
        final UUID builder;
        final UUID agent;
        final double accuracyPenalty;

        Fixture(UUID device, double accuracyPenalty) {
            this.builder = worker("fixture-builder", null, "build");
            this.agent = worker("fixture-agent", device, "measure");
            this.accuracyPenalty = accuracyPenalty;
        }

        void work() {
            stepper.runningJobs().forEach(stepper::step);
            for (JsonNode l : leases(builder)) {
                Object result = l.path("kind").asString().equals("PROFILE") ? PROFILE
                        : Map.of("accuracy", 90.0 - accuracyPenalty - 0.2 * pruned(l), "sizeBytes", 1000);
                Map<String, Object> body = new java.util.HashMap<>(Map.of("workerId", builder.toString(), "result", result));
                if (!l.path("kind").asString().equals("PROFILE")) {
                    body.put("artifactSha256", artifact("fixture artifact " + l.path("trialId").asString()));
                }
                api.post("/api/v1/leases/" + l.path("id").asString() + "/complete", body);
            }
            for (JsonNode l : leases(agent)) {
                JsonNode trial = api.get("/api/v1/trials/" + l.path("trialId").asString()).json();
                api.post("/api/v1/leases/" + l.path("id").asString() + "/complete", Map.of("workerId", agent.toString(),
                        "result", Map.of("medianMs", 10.0 / (1 + pruned(trial)))));
            }
        }

        private JsonNode leases(UUID worker) {
            return api.post("/api/v1/leases", Map.of("workerId", worker.toString(), "max", 8)).json().path("leases");
        }

        private int pruned(JsonNode withConfig) {
            JsonNode c = withConfig.path("config");
            return c.path("layers").size() + (c.has("default") ? 1 : 0);
        }
    }
}
