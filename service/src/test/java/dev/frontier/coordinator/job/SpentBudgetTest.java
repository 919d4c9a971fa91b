package dev.frontier.coordinator.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.frontier.coordinator.support.IntegrationTest;

/**
 * Once every trial of the budget is proposed, the proposed ones still run: a worker that leases one
 * task at a time must find them queued, not cancelled (found by the end-to-end test with the real agent).
 */
class SpentBudgetTest extends IntegrationTest {
    @Autowired
    SearchStepper stepper;

    @Test
    void aSpentBudgetKeepsQueuedTrials() {
        UUID dev = device("budget-dev");
        UUID model = model("budget-model");
        UUID builder = worker("budget-builder", null, "build");
        UUID job = api.post("/api/v1/jobs", Map.of("modelId", model.toString(), "deviceIds", List.of(dev.toString()),
                "latencyTargetMs", 5.0, "maxAccuracyDrop", 1.0, "strategy", "random", "budget", Map.of("maxTrials", 3))).id();
        var profile = api.post("/api/v1/leases", Map.of("workerId", builder.toString())).json().path("leases").get(0);
        api.post("/api/v1/leases/" + profile.path("id").asString() + "/complete",
                Map.of("workerId", builder.toString(), "result", PROFILE));
        for (int i = 0; i < 4; i++) {
            stepper.step(job);
        }
        var progress = api.get("/api/v1/jobs/" + job).json().path("progress");
        assertThat(progress.path("total").asInt()).isEqualTo(3);
        assertThat(progress.path("queued").asInt()).isEqualTo(3);
        assertThat(progress.path("cancelled").asInt()).isZero();
        assertThat(api.get("/api/v1/jobs/" + job).text("state")).isEqualTo("RUNNING");
    }
}
