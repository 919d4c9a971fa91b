package dev.frontier.worker.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The worker's side of the coordinator's HTTP API (openapi.yaml, paths under /api/v1).
 * Network failures and 5xx answers are retried with exponential backoff, because a worker that gives
 * up on a flaky link loses the result it just spent minutes computing; 4xx answers are not retried.
 */
public final class CoordinatorClient {
    // absent stays absent: the contract's properties are not nullable, so a generated model's nulls are not sent
    static final JsonMapper JSON = JsonMapper.builder()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL)).build();
    private final URI base;
    // swapped once: an agent registers with an enrollment token and goes on with its own worker token
    private volatile String token;
    private final HttpClient http;
    private final int maxAttempts;
    private final Duration requestTimeout;

    public CoordinatorClient(String baseUrl, String token) {
        this(baseUrl, token, 8, Duration.ofSeconds(120));
    }

    public CoordinatorClient(String baseUrl, String token, int maxAttempts, Duration requestTimeout) {
        String b = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.base = URI.create(b + "/api/v1/");
        this.token = token;
        this.maxAttempts = maxAttempts;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** From now on, send this token (the worker-bound one a registration returned). */
    public void useToken(String newToken) {
        this.token = newToken;
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    public JsonNode get(String path) {
        return json(send(() -> request(path).GET().build(), path));
    }

    public JsonNode post(String path, JsonNode body) {
        byte[] bytes = JSON.writeValueAsBytes(body);
        return json(send(() -> request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), path));
    }

    /** A multipart/form-data POST with text fields and one file part named {@code file}. */
    public JsonNode postMultipart(String path, java.util.Map<String, String> fields, String fileName, byte[] file) {
        String boundary = "frontier" + java.util.UUID.randomUUID().toString().replace("-", "");
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        fields.forEach((k, v) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k
                + "\"\r\n\r\n" + v + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        byte[] bytes = body.toByteArray();
        return json(send(() -> request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), path));
    }

    /** Uploads bytes content-addressed; returns the sha256 the coordinator stored them under. */
    public String putArtifact(String sha256, byte[] bytes) {
        String path = "artifacts/" + sha256;
        send(() -> request(path).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), path);
        return sha256;
    }

    public byte[] download(String path) {
        return send(() -> request(path).GET().build(), path);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout)
                .header("Accept", "application/json, application/problem+json, application/octet-stream");
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private byte[] send(Supplier<HttpRequest> request, String what) {
        long backoffMs = 250;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<byte[]> r = http.send(request.get(), HttpResponse.BodyHandlers.ofByteArray());
                int s = r.statusCode();
                if (s < 300) {
                    return r.body();
                }
                String detail = problemDetail(r.body());
                if (s < 500 || attempt >= maxAttempts) {
                    throw new CoordinatorException(s, what + ": HTTP " + s + (detail.isEmpty() ? "" : ": " + detail));
                }
            } catch (IOException e) {
                if (attempt >= maxAttempts) {
                    throw new CoordinatorException(0, "coordinator unreachable at " + base + " (" + what + "): " + e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoordinatorException(0, "interrupted while calling " + what);
            }
            sleep(backoffMs);
            backoffMs = Math.min(backoffMs * 2, 10_000);
        }
    }

    private static String problemDetail(byte[] body) {
        try {
            JsonNode p = JSON.readTree(body);
            String detail = p.path("detail").asString("");
            return detail.isEmpty() ? p.path("title").asString("") : detail;
        } catch (RuntimeException e) {
            return new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode json(byte[] body) {
        return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
