package dev.frontier.coordinator.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import dev.frontier.coordinator.job.SearchStepper;
import dev.frontier.coordinator.support.IntegrationTest;

/** A device shows the measurements waiting for it and the one running on it. */
class MeasurementQueueTest extends IntegrationTest {
    @Autowired
    SearchStepper stepper;

    @Test
    void builtTrialsQueueForTheirDevice() {
        UUID dev = device("queue-dev");
        UUID model = model("queue-model");
        UUID builder = worker("queue-builder", null, "build");
        UUID agent = worker("queue-agent", dev, "measure");
        UUID job = api.post("/api/v1/jobs", Map.of("modelId", model.toString(), "deviceIds", List.of(dev.toString()),
                "latencyTargetMs", 5.0, "maxAccuracyDrop", 1.0, "budget", Map.of("maxTrials", 2))).id();
        JsonNode profile = lease(builder).get(0);
        api.post("/api/v1/leases/" + profile.path("id").asString() + "/complete",
                Map.of("workerId", builder.toString(), "result", PROFILE));
        stepper.step(job);
        for (JsonNode b : lease(builder)) {
            api.post("/api/v1/leases/" + b.path("id").asString() + "/complete", Map.of("workerId", builder.toString(),
                    "result", Map.of("accuracy", 90.0), "artifactSha256", artifact("a " + b.path("trialId").asString())));
        }
        JsonNode d = api.get("/api/v1/devices/" + dev).json();
        assertThat(d.path("queuedMeasurements").asInt()).isEqualTo(2);
        assertThat(d.path("runningMeasurements").asInt()).isZero();

        assertThat(lease(agent).size()).isEqualTo(1);
        d = api.get("/api/v1/devices/" + dev).json();
        assertThat(d.path("queuedMeasurements").asInt()).isEqualTo(1);
        assertThat(d.path("runningMeasurements").asInt()).isEqualTo(1);
    }

    private JsonNode lease(UUID worker) {
        return api.post("/api/v1/leases", Map.of("workerId", worker.toString(), "max", 8)).json().path("leases");
    }
}
