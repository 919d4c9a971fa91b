package dev.frontier.coordinator.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import dev.frontier.coordinator.job.SearchStepper;
import dev.frontier.coordinator.support.Api;
import dev.frontier.coordinator.support.IntegrationTest;

/**
 * Devices with runtimes (issue 19) through the API: a device declares runtimes, each worker of it
 * leases only the MEASURE tasks of its own runtimes, every build is measured once per runtime on that
 * runtime's artifact, each runtime gets a frontier, emulated timings never enter one, and a
 * non-steering runtime failing for good costs only its own point.
 */
class RuntimesTest extends IntegrationTest {
    @Autowired
    SearchStepper stepper;

    private UUID deviceWith(String name, List<Map<String, Object>> runtimes) {
        Api.Response r = api.post("/api/v1/devices", Map.of("name", name, "runtimes", runtimes));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        api.post("/api/v1/devices/" + r.id() + "/heartbeat", "");
        return r.id();
    }

    private UUID measurer(String name, UUID device, String... runtimes) {
        Api.Response r = api.post("/api/v1/workers", Map.of("name", name, "deviceId", device.toString(), "roles", List.of("measure"),
                "runtimes", List.of(runtimes)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.id();
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(r -> out.add(r.asString()));
        return out;
    }

    @Test
    void everyBuildIsMeasuredOncePerRuntimeOnItsOwnArtifactAndEachRuntimeHasAFrontier() {
        UUID model = model("rt");
        UUID dev = deviceWith("rt-board", List.of(Map.of("name", "frontier-native", "compiler", "gcc 12", "target", "aarch64-linux-gnu"),
                Map.of("name", "onnxruntime", "version", "1.22"), Map.of("name", "frontier-jvm")));
        // a second agent of the same device adds an emulated runtime by heartbeat (merged, not replaced)
        api.post("/api/v1/devices/" + dev + "/heartbeat", Map.of("runtimes", List.of(Map.of("name", "qemu-native", "emulated", true))));
        assertThat(api.get("/api/v1/devices/" + dev).json().path("runtimes").findValuesAsString("name"))
                .containsExactly("frontier-native", "onnxruntime", "frontier-jvm", "qemu-native");
        UUID builder = worker("rt-builder", null, "build");
        UUID nativeAgent = measurer("rt-native", dev, "frontier-native", "frontier-jvm", "qemu-native");
        UUID ortClient = measurer("rt-ort", dev, "onnxruntime");

        // a runtime no target device offers is the caller's mistake
        Api.Response bad = api.post("/api/v1/jobs", Map.of("modelId", model.toString(), "deviceIds", List.of(dev.toString()),
                "latencyTargetMs", 5.0, "maxAccuracyDrop", 1.0, "runtimes", List.of("tflite")));
        assertThat(bad.status()).as(bad.body()).isEqualTo(422);
        assertThat(bad.text("field")).isEqualTo("runtimes[0]");
        // a worker cannot serve a runtime its device does not declare
        assertThat(api.post("/api/v1/workers", Map.of("name", "x", "deviceId", dev.toString(), "roles", List.of("measure"),
                "runtimes", List.of("tflite"))).status()).isEqualTo(422);

        // default: every runtime offered but the emulated one, the fastest Frontier runtime first (it steers the search)
        Api.Response byDefault = api.post("/api/v1/jobs", Map.of("modelId", model.toString(), "deviceIds", List.of(dev.toString()),
                "latencyTargetMs", 5.0, "maxAccuracyDrop", 1.0));
        assertThat(byDefault.status()).as(byDefault.body()).isEqualTo(201);
        assertThat(names(byDefault.json().path("runtimes"))).containsExactly("frontier-native", "frontier-jvm", "onnxruntime");
        api.post("/api/v1/jobs/" + byDefault.id() + "/cancel", "");

        Api.Response created = api.post("/api/v1/jobs", Map.of("modelId", model.toString(), "deviceIds", List.of(dev.toString()),
                "latencyTargetMs", 5.0, "maxAccuracyDrop", 1.0, "seed", 3, "budget", Map.of("maxTrials", 3),
                "fidelity", Map.of("min", 1.0, "max", 1.0),
                "runtimes", List.of("frontier-native", "frontier-jvm", "onnxruntime", "qemu-native")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(names(created.json().path("runtimes"))).containsExactly("frontier-native", "frontier-jvm", "onnxruntime", "qemu-native");
        UUID job = created.id();
        JsonNode profile = lease(builder, 1).json().path("leases").get(0);
        api.post("/api/v1/leases/" + profile.path("id").asString() + "/complete", Map.of("workerId", builder.toString(), "result", PROFILE));

        double[] accuracy = {90, 89.6, 80};
        Map<String, Double> speed = Map.of("frontier-native", 1.0, "frontier-jvm", 2.0, "onnxruntime", 1.5, "qemu-native", 50.0);
        List<String> seenArtifacts = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            stepper.step(job);
            for (JsonNode b : lease(builder, 10).json().path("leases")) {
                int seq = api.get("/api/v1/trials/" + b.path("trialId").asString()).json().path("seq").asInt();
                String fart = artifact("fart " + seq + " " + job);
                String bundle = artifact("c bundle " + seq + " " + job);
                String onnx = artifact("onnx " + seq + " " + job);
                Map<String, Object> variants = new java.util.HashMap<>(Map.of("frontier-jvm", fart, "onnxruntime", onnx, "qemu-native", bundle));
                if (seq != 2) variants.put("frontier-native", bundle); // trial 2: the generator lacks a kernel
                assertThat(api.post("/api/v1/leases/" + b.path("id").asString() + "/complete", Map.of("workerId", builder.toString(),
                        "result", Map.of("accuracy", accuracy[seq], "validationAccuracy", accuracy[seq], "runtimeArtifacts", variants),
                        "artifactSha256", fart)).status()).isEqualTo(200);
            }
            for (UUID agent : List.of(nativeAgent, ortClient)) {
                JsonNode ms;
                while ((ms = lease(agent, 1).json().path("leases")).size() > 0) {
                    JsonNode l = ms.get(0);
                    String runtime = l.path("runtime").asString();
                    assertThat(agent.equals(ortClient)).as(runtime).isEqualTo(runtime.equals("onnxruntime"));
                    JsonNode trial = api.get("/api/v1/trials/" + l.path("trialId").asString()).json();
                    int seq = trial.path("seq").asInt();
                    // each runtime times its own variant of the one build
                    Object expected = runtime.equals("frontier-jvm") ? trial.path("artifactSha256").asString()
                            : trial.path("buildMetrics").path("runtimeArtifacts").path(runtime).asString();
                    assertThat(l.path("artifactSha256").asString()).isEqualTo(expected);
                    seenArtifacts.add(runtime + ":" + seq);
                    if (runtime.equals("onnxruntime") && seq == 1) {
                        // ONNX Runtime fails for good on trial 1: the trial still finishes with its other runtimes
                        assertThat(api.post("/api/v1/leases/" + l.path("id").asString() + "/fail", Map.of("workerId", agent.toString(),
                                "reason", "ORT cannot load it", "retryable", false)).status()).isEqualTo(200);
                        continue;
                    }
                    Map<String, Object> result = new java.util.HashMap<>(Map.of("medianMs", speed.get(runtime) * (3 - seq), "runtime", runtime));
                    if (runtime.equals("qemu-native")) result.put("emulated", true);
                    assertThat(api.post("/api/v1/leases/" + l.path("id").asString() + "/complete", Map.of("workerId", agent.toString(),
                            "result", result)).status()).isEqualTo(200);
                }
            }
        }
        assertThat(api.get("/api/v1/jobs/" + job).text("state")).isEqualTo("COMPLETED");
        assertThat(seenArtifacts).contains("frontier-native:0", "frontier-native:1", "onnxruntime:2", "qemu-native:2")
                .doesNotContain("frontier-native:2");

        JsonNode trials = api.get("/api/v1/jobs/" + job + "/trials?sort=seq").json().path("items");
        for (JsonNode t : trials) assertThat(t.path("state").asString()).as(t.toString()).isEqualTo("DONE");
        JsonNode t2 = trials.get(2).path("measurements");
        List<String> measuredWith = new ArrayList<>();
        t2.forEach(m -> measuredWith.add(m.path("runtime").asString()));
        assertThat(measuredWith).containsExactlyInAnyOrder("frontier-jvm", "onnxruntime", "qemu-native");
        for (JsonNode m : t2) assertThat(m.path("emulated").asBoolean()).isEqualTo(m.path("runtime").asString().equals("qemu-native"));

        JsonNode frontier = api.get("/api/v1/jobs/" + job + "/frontier").json();
        Map<String, JsonNode> byRuntime = new java.util.HashMap<>();
        frontier.path("devices").forEach(df -> byRuntime.put(df.path("runtime").asString(), df));
        assertThat(byRuntime.keySet()).containsExactlyInAnyOrder("frontier-native", "frontier-jvm", "onnxruntime", "qemu-native");
        assertThat(byRuntime.get("frontier-native").path("steering").asBoolean()).isTrue();
        assertThat(byRuntime.get("frontier-jvm").path("steering").asBoolean()).isFalse();
        assertThat(byRuntime.get("frontier-native").path("baselineLatencyMs").asDouble()).isEqualTo(3.0);
        assertThat(byRuntime.get("frontier-jvm").path("baselineLatencyMs").asDouble()).isEqualTo(6.0);
        assertThat(byRuntime.get("frontier-native").path("measured").asInt()).isEqualTo(2);
        assertThat(byRuntime.get("onnxruntime").path("measured").asInt()).isEqualTo(2); // trial 1 failed there
        byRuntime.get("frontier-jvm").path("points").forEach(p -> assertThat(p.path("runtime").asString()).isEqualTo("frontier-jvm"));
        // emulated timings are stored and shown, never on a frontier
        assertThat(byRuntime.get("qemu-native").path("measured").asInt()).isZero();
        assertThat(byRuntime.get("qemu-native").path("points").size()).isZero();
        // each runtime's own recommendation: on the JVM trial 1 (89.6 %) runs 4 ms, within the 5 ms target
        assertThat(byRuntime.get("frontier-jvm").path("recommended").path("seq").asInt()).isEqualTo(1);
        assertThat(byRuntime.get("frontier-jvm").path("recommended").path("latencyMs").asDouble()).isEqualTo(4.0);
    }
}
