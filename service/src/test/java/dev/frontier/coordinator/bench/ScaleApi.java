package dev.frontier.coordinator.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The few API calls the scale test makes besides the lease protocol: registering things, jobs. */
final class ScaleApi {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final LoopbackHttp http;

    ScaleApi(LoopbackHttp http) {
        this.http = http;
    }

    UUID device(String name) {
        return id(post("/api/v1/devices", Map.of("name", name, "labels", Map.of("synthetic", "scale-test"),
                "hardware", Map.of("cores", 2, "arch", "x86_64"))));
    }

    /** A registered worker and the token bound to it (returned once, at registration). */
    record Registered(UUID id, String token) {
    }

    Registered worker(String name, UUID deviceId) {
        JsonNode w = post("/api/v1/workers", Map.of("name", name, "roles", List.of("build", "measure"), "deviceId", deviceId));
        String token = w.path("token").asString(null);
        return new Registered(id(w), token == null || token.isEmpty() ? null : token);
    }

    String artifact(byte[] content) {
        return check("/api/v1/artifacts", http.post("/api/v1/artifacts", "application/octet-stream", content)).path("sha256").asString();
    }

    /** A model upload: the bytes are never run (the simulated workers make their results up). */
    UUID model(String name) {
        String boundary = "----frontier-scale" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> fields = Map.of("name", name, "format", "frontier-ir", "inputShape", "1,28,28");
        fields.forEach((k, v) -> out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n"
                + v + "\r\n").getBytes(StandardCharsets.UTF_8)));
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"synthetic.frir\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\nsynthetic model " + UUID.randomUUID() + "\r\n--" + boundary
                + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return id(check("/api/v1/models", http.post("/api/v1/models", "multipart/form-data; boundary=" + boundary, out.toByteArray())));
    }

    /** A random search on these devices with a budget it will not reach in a step (the test cancels it). */
    UUID job(UUID modelId, List<UUID> deviceIds, int maxTrials, long seed) {
        return id(post("/api/v1/jobs", Map.of("modelId", modelId, "deviceIds", deviceIds, "latencyTargetMs", 5.0,
                "maxAccuracyDrop", 1.0, "strategy", "random", "seed", seed,
                "budget", Map.of("maxTrials", maxTrials), "fidelity", Map.of("min", 1.0, "max", 1.0))));
    }

    String jobState(UUID jobId) {
        return check("GET /jobs", http.get("/api/v1/jobs/" + jobId)).path("state").asString();
    }

    void cancel(UUID jobId) {
        check("/cancel", http.post("/api/v1/jobs/" + jobId + "/cancel", "application/json", new byte[0]));
    }

    private JsonNode post(String path, Map<String, Object> body) {
        return check(path, http.postJson(path, JSON.writeValueAsString(body)));
    }

    private static JsonNode check(String what, LoopbackHttp.Response r) {
        if (r.status() >= 300) throw new IllegalStateException(what + " -> " + r.status() + " " + r.body());
        return JSON.readTree(r.body());
    }

    private static UUID id(JsonNode n) {
        return UUID.fromString(n.path("id").asString());
    }
}
