package dev.frontier.coordinator.fuzz;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import dev.frontier.coordinator.support.Api;
import dev.frontier.coordinator.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends well over a thousand invalid requests, generated from openapi.yaml, to the running
 * coordinator: for every operation, bodies that break each schema rule (types, required fields,
 * ranges, lengths, patterns, enums, formats), malformed and oversized JSON, wrong content types,
 * path and query tricks. Every answer must be a 4xx problem document, and no stored row may change.
 */
class OpenApiFuzzTest extends IntegrationTest {
    private static final List<String> BAD_IDS = List.of("not-a-uuid", "..%2F..%2Fetc%2Fpasswd", "..", "%00",
            "a%00b", "x".repeat(5000), "12345", "%27%20OR%201%3D1--", "00000000-0000-0000-0000-00000000000g",
            "%E2%80%AE%F0%9F%92%A9", "-1", "null", "%2e%2e%2f%2e%2e%2f", "~root", "%25", "*", "CON", "%0d%0aX-Injected:%201");
    private static final List<String> BAD_SHAS = List.of("ABCDEF" + "0".repeat(58), "0".repeat(63), "0".repeat(65),
            "g".repeat(64), "..%2F..%2Fetc%2Fpasswd", "..", "%00", "x".repeat(5000));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Map<String, Object> spec;
    private Fixtures fx;

    /** The real things a request may name, so validation is reached behind the lookups. */
    record Fixtures(UUID device, UUID builder, UUID measurer, UUID model, UUID job, UUID lease, String sha) {
    }

    record Sent(String label, int status, String contentType, String body) {
    }

    @Test
    void invalidRequestsAreProblemsAndChangeNothing() throws Exception {
        spec = load();
        fx = fixtures();
        Map<String, String> before = snapshot();

        List<Sent> results = new ArrayList<>();
        Map<String, Map<String, Object>> paths = cast(spec.get("paths"));
        for (var p : paths.entrySet()) {
            for (var op : p.getValue().entrySet()) {
                if (!List.of("get", "post", "put", "delete", "patch").contains(op.getKey())) continue;
                for (Req r : requestsFor(p.getKey(), op.getKey().toUpperCase(), cast(op.getValue()))) results.add(send(r));
            }
        }
        for (Req r : stray()) results.add(send(r));

        List<String> serverErrors = new ArrayList<>();
        List<String> notProblems = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        for (Sent s : results) {
            if (s.status >= 500) serverErrors.add(s.label + " -> " + s.status + " " + abbreviate(s.body));
            else if (s.status < 400) accepted.add(s.label + " -> " + s.status + " " + abbreviate(s.body));
            else if (!isProblem(s)) notProblems.add(s.label + " -> " + s.status + " [" + s.contentType + "] " + abbreviate(s.body));
        }
        Map<String, String> after = snapshot();
        long fiveXx = results.stream().filter(s -> s.status >= 500).count();
        System.out.printf("FUZZ: %d invalid requests sent, %d 5xx, %d accepted, %d 4xx without a problem body%n",
                results.size(), fiveXx, accepted.size(), notProblems.size());
        serverErrors.forEach(e -> System.out.println("FUZZ 5xx: " + e));
        accepted.forEach(e -> System.out.println("FUZZ accepted: " + e));
        notProblems.forEach(e -> System.out.println("FUZZ not a problem: " + e));

        assertThat(results.size()).isGreaterThanOrEqualTo(1000);
        assertThat(serverErrors).as("5xx answers").isEmpty();
        assertThat(accepted).as("invalid requests that were accepted").isEmpty();
        assertThat(notProblems).as("4xx answers without an RFC 7807 body").isEmpty();
        assertThat(after).as("stored rows (count and content hash per table)").isEqualTo(before);
    }

    // ---------------------------------------------------------------- fixtures and snapshot

    private Fixtures fixtures() {
        UUID dev = device("fuzz-device");
        UUID builder = worker("fuzz-builder", null, "build");
        UUID measurer = worker("fuzz-measurer", dev, "measure");
        UUID model = model("fuzz-model");
        Api.Response job = api.post("/api/v1/jobs", Map.of("modelId", model.toString(), "deviceIds", List.of(dev.toString()),
                "latencyTargetMs", 5.0, "maxAccuracyDrop", 1.0));
        assertThat(job.status()).as(job.body()).isEqualTo(201);
        JsonNode leases = lease(builder, 1).json().path("leases");
        assertThat(leases.size()).as("the fixture job's PROFILE task").isEqualTo(1);
        return new Fixtures(dev, builder, measurer, model, job.id(), UUID.fromString(leases.get(0).path("id").asString()),
                artifact("fuzz artifact " + UUID.randomUUID()));
    }

    /** Row count and a hash of every row's content, per table: any insert, update or delete shows. */
    private Map<String, String> snapshot() {
        Map<String, String> s = new TreeMap<>();
        for (String table : jdbc.queryForList("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                + "AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history'", String.class)) {
            // a token's last-use time is bookkeeping of the request itself, not stored data it changed
            String row = table.equals("api_token") ? "(t.id, t.name, t.role, t.token_hash, t.worker_id, t.revoked_at)" : "t";
            s.put(table, jdbc.queryForObject("SELECT count(*) || ':' || coalesce(md5(string_agg(md5(" + row + "::text), '' ORDER BY md5("
                    + row + "::text))), '') FROM \"" + table + "\" t", String.class));
        }
        return s;
    }

    // ---------------------------------------------------------------- request generation

    record Req(String label, String method, String path, String contentType, byte[] body) {
        static Req json(String label, String method, String path, String json) {
            return new Req(label, method, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private List<Req> requestsFor(String template, String method, Map<String, Object> op) {
        String id = (String) op.get("operationId");
        List<Req> out = new ArrayList<>();
        List<Map<String, Object>> params = new ArrayList<>();
        for (Object p : (List<?>) op.getOrDefault("parameters", List.of())) params.add(deref(cast(p)));
        String goodPath = template;
        for (Map<String, Object> p : params) {
            if ("path".equals(p.get("in"))) goodPath = goodPath.replace("{" + p.get("name") + "}", fixtureFor((String) p.get("name")));
        }
        Map<String, Object> body = op.containsKey("requestBody") ? map(map(op.get("requestBody")).get("content")) : Map.of();
        Map<String, Object> jsonSchema = body.containsKey("application/json") ? deref(map(map(body.get("application/json")).get("schema"))) : null;
        Map<String, Object> multipart = body.containsKey("multipart/form-data") ? deref(map(map(body.get("multipart/form-data")).get("schema"))) : null;
        boolean octets = body.containsKey("application/octet-stream");

        // a valid body for the operation, so each mutation below is the one thing wrong
        Map<String, Object> base = jsonSchema == null ? null : baseBody(id);
        String baseJson = base == null ? null : Api.JSON.writeValueAsString(base);

        // path parameters: malformed ids, path tricks, well-formed ids of nothing
        for (Map<String, Object> p : params) {
            if (!"path".equals(p.get("in"))) continue;
            String name = (String) p.get("name");
            List<String> bad = new ArrayList<>("sha256".equals(name) ? BAD_SHAS : BAD_IDS);
            bad.add("sha256".equals(name) ? "0".repeat(64) : UUID.randomUUID().toString());
            for (String v : bad) {
                String path = template;
                for (Map<String, Object> q : params) {
                    if ("path".equals(q.get("in"))) path = path.replace("{" + q.get("name") + "}", q == p ? v : fixtureFor((String) q.get("name")));
                }
                String label = id + " " + name + "=" + abbreviate(v);
                if (baseJson != null) out.add(Req.json(label, method, path, baseJson));
                else if (octets) out.add(new Req(label, method, path, "application/octet-stream", "bytes".getBytes(StandardCharsets.UTF_8)));
                else out.add(new Req(label, method, path, null, null));
            }
        }
        // query parameters: out of range, wrong type, unknown enum values
        for (Map<String, Object> p : params) {
            if (!"query".equals(p.get("in"))) continue;
            for (Object v : invalidValues(deref(cast(p.get("schema"))), true)) {
                String text = v instanceof String s ? s : Api.JSON.writeValueAsString(v);
                out.add(new Req(id + " ?" + p.get("name") + "=" + abbreviate(text), method,
                        goodPath + "?" + p.get("name") + "=" + java.net.URLEncoder.encode(text, StandardCharsets.UTF_8), null, null));
            }
        }
        if (jsonSchema != null) out.addAll(jsonMutations(id, method, goodPath, jsonSchema, base));
        if (multipart != null) out.addAll(multipartMutations(id, method, goodPath));
        if (octets) out.addAll(octetMutations(id, method, goodPath));
        return out;
    }

    private String fixtureFor(String param) {
        return switch (param) {
            case "deviceId" -> fx.device.toString();
            case "modelId" -> fx.model.toString();
            case "jobId" -> fx.job.toString();
            case "leaseId" -> fx.lease.toString();
            case "sha256" -> fx.sha;
            default -> UUID.randomUUID().toString(); // trials, datasets: a well-formed id of nothing
        };
    }

    /** A body that would be accepted (or is refused for one reason only the operation knows). */
    private Map<String, Object> baseBody(String operation) {
        Map<String, Object> b = new LinkedHashMap<>();
        switch (operation) {
            case "registerDevice" -> b.put("name", "fuzz");
            case "registerDataset" -> { b.put("name", "fuzz-ds"); b.put("kind", "idx"); }
            case "createJob" -> {
                b.put("modelId", fx.model.toString());
                b.put("deviceIds", List.of(fx.device.toString()));
                b.put("latencyTargetMs", 5.0);
                b.put("maxAccuracyDrop", 1.0);
            }
            case "createGate" -> {
                b.put("modelId", fx.model.toString());
                b.put("device", fx.device.toString());
                b.put("latencyTargetMs", 5.0);
            }
            case "registerWorker" -> { b.put("name", "fuzz"); b.put("roles", List.of("build")); }
            case "heartbeatDevice" -> b.put("runtimes", List.of(Map.of("name", "frontier-jvm")));
            case "createToken" -> { b.put("name", "fuzz"); b.put("role", "member"); }
            case "acquireLeases" -> b.put("workerId", fx.builder.toString());
            case "heartbeatLease" -> b.put("workerId", fx.builder.toString());
            // a PROFILE result without layers is refused by the workflow, so no mutation can complete it
            case "completeLease" -> { b.put("workerId", fx.builder.toString()); b.put("result", Map.of()); }
            case "failLease" -> { b.put("workerId", fx.builder.toString()); b.put("reason", "fuzz"); }
            default -> throw new IllegalStateException("no base body for " + operation);
        }
        return b;
    }

    private List<Req> jsonMutations(String id, String method, String path, Map<String, Object> schema, Map<String, Object> base) {
        List<Req> out = new ArrayList<>();
        // every property, at every depth: each invalid value in turn; required ones also removed or null
        walk(schema, List.of(), (propPath, propSchema, required) -> {
            for (Object v : invalidValues(propSchema, false)) {
                Map<String, Object> b = copy(base);
                set(b, propPath, v);
                out.add(Req.json(id + " " + String.join(".", propPath) + "=" + abbreviate(String.valueOf(v)), method, path,
                        Api.JSON.writeValueAsString(b)));
            }
            if (required) {
                Map<String, Object> b = copy(base);
                remove(b, propPath);
                out.add(Req.json(id + " missing " + String.join(".", propPath), method, path, Api.JSON.writeValueAsString(b)));
                Map<String, Object> n = copy(base);
                set(n, propPath, null);
                out.add(Req.json(id + " null " + String.join(".", propPath), method, path, Api.JSON.writeValueAsString(n)));
            }
        });
        String good = Api.JSON.writeValueAsString(base);
        // malformed documents
        List<String> malformed = List.of("", "{", "}", "{\"", good.substring(0, good.length() / 2), good + "}", good + " trailing",
                "null", "[]", "42", "\"text\"", "true", "{'single': 'quotes'}", "{\"a\":NaN}", "{\"a\":1,}", "\u0000",
                "{\"workerId\":\"\u0000\"}", "\uFEFF" + "{,}", "[" + good + "]", "{\"a\": \"\\uZZZZ\"}");
        for (String m : malformed) out.add(Req.json(id + " malformed " + abbreviate(m), method, path, m));
        // invalid UTF-8
        out.add(new Req(id + " invalid utf-8", method, path, "application/json", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}));
        // huge and deeply nested documents
        out.add(Req.json(id + " nested arrays", method, path, "[".repeat(100_000) + "]".repeat(100_000)));
        out.add(Req.json(id + " nested objects", method, path, "{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000)));
        out.add(Req.json(id + " nested value", method, path, nestedJson(copy(base), firstRequired(schema), 5000)));
        Map<String, Object> big = copy(base);
        big.put(firstRequired(schema), "x".repeat(3_000_000));
        out.add(Req.json(id + " 3 MB string", method, path, Api.JSON.writeValueAsString(big)));
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 200_000; i++) many.append("\"k").append(i).append("\":").append(i).append(',');
        many.append("\"end\":0}");
        out.add(Req.json(id + " 200k unknown keys", method, path, many.toString()));
        StringBuilder arr = new StringBuilder("[");
        for (int i = 0; i < 300_000; i++) arr.append(i == 0 ? "" : ",").append("\"").append(UUID.randomUUID()).append('"');
        Map<String, Object> wide = copy(base);
        wide.put(firstRequired(schema), "ARRAY");
        out.add(Req.json(id + " 300k-element array", method, path, Api.JSON.writeValueAsString(wide).replace("\"ARRAY\"", arr + "]")));
        // wrong content types
        for (String ct : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "application/octet-stream",
                "multipart/form-data; boundary=xyz", "application/json; charset=ebcdic", "image/png")) {
            out.add(new Req(id + " content-type " + ct, method, path, ct, good.getBytes(StandardCharsets.UTF_8)));
        }
        out.add(new Req(id + " no content-type", method, path, "", good.getBytes(StandardCharsets.UTF_8)));
        out.add(new Req(id + " no body", method, path, "application/json", null));
        return out;
    }

    private static String nestedJson(Map<String, Object> base, String field, int depth) {
        base.put(field, "DEEP");
        return Api.JSON.writeValueAsString(base).replace("\"DEEP\"", "[".repeat(depth) + "1" + "]".repeat(depth));
    }

    private List<Req> multipartMutations(String id, String method, String path) {
        boolean model = id.equals("uploadModel");
        Map<String, String> good = model
                ? new LinkedHashMap<>(Map.of("name", "fuzz-model", "format", "frontier-ir", "inputShape", "1,28,28"))
                : new LinkedHashMap<>(Map.of("name", "fuzz-upload", "kind", "idx"));
        byte[] file = "fuzz bytes".getBytes(StandardCharsets.UTF_8);
        List<Req> out = new ArrayList<>();
        for (String field : good.keySet()) {
            Map<String, String> f = new LinkedHashMap<>(good);
            f.remove(field);
            out.add(multipart(id + " missing " + field, method, path, f, file));
            List<String> bad = new ArrayList<>(List.of("", " ", "\u0000", "a\u0000b", "x".repeat(5000), "../../etc/passwd", "..\\..\\boot.ini",
                    "a/b", "%2e%2e%2f", "\u202Eexe.txt", "name\r\nX-Injected: 1"));
            if (field.equals("inputShape")) bad.addAll(List.of("a,b", "-1,28,28", "0", "1,,28", "99999999999", "1,2,3,4,5,6,7,8,9", "1.5,2",
                    "1;28;28", "1, 28, -28", "2147483648"));
            if (field.equals("format") || field.equals("kind")) bad.addAll(List.of("EXE", "frontier ir", "x".repeat(51)));
            if (field.equals("name") && !model) bad.addAll(List.of(".", "x".repeat(101), "white space"));
            if (field.equals("name") && model) bad.removeAll(List.of("../../etc/passwd", "..\\..\\boot.ini", "a/b", "%2e%2e%2f", "\u202Eexe.txt"));
            for (String v : bad) {
                Map<String, String> f2 = new LinkedHashMap<>(good);
                f2.put(field, v);
                out.add(multipart(id + " " + field + "=" + abbreviate(v), method, path, f2, file));
            }
        }
        if (model) {
            Map<String, String> f = new LinkedHashMap<>(good);
            f.put("dataset", "no-such-dataset-" + UUID.randomUUID());
            out.add(multipart(id + " unknown dataset", method, path, f, file));
            f.put("dataset", "../../etc/passwd");
            out.add(multipart(id + " dataset path trick", method, path, f, file));
        }
        out.add(multipart(id + " no file", method, path, good, null));
        out.add(multipart(id + " empty file", method, path, good, new byte[0]));
        out.add(multipart(id + " oversized file", method, path, good, new byte[1024 * 1024 + 1]));
        out.add(new Req(id + " truncated multipart", method, path, "multipart/form-data; boundary=abc",
                "--abc\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nx".getBytes(StandardCharsets.UTF_8)));
        out.add(new Req(id + " multipart without boundary", method, path, "multipart/form-data", "garbage".getBytes(StandardCharsets.UTF_8)));
        out.add(Req.json(id + " json instead of multipart", method, path, Api.JSON.writeValueAsString(good)));
        out.add(new Req(id + " text/plain", method, path, "text/plain", "name=x".getBytes(StandardCharsets.UTF_8)));
        out.add(new Req(id + " form-urlencoded", method, path, "application/x-www-form-urlencoded", "name=x&format=y".getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    private List<Req> octetMutations(String id, String method, String path) {
        List<Req> out = new ArrayList<>();
        byte[] bytes = ("fuzz " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        if (id.equals("putArtifact")) {
            // the right bytes would be stored: only bytes that do not hash to the path are sent
            out.add(new Req(id + " bytes of another hash", method, path, "application/octet-stream", bytes));
            out.add(new Req(id + " empty bytes", method, path, "application/octet-stream", new byte[0]));
            out.add(new Req(id + " oversized", method, path.replace(fx.sha, "0".repeat(64)), "application/octet-stream", new byte[1024 * 1024 + 1]));
            for (String ct : List.of("application/json", "text/plain", "multipart/form-data; boundary=x")) {
                out.add(new Req(id + " content-type " + ct, method, path, ct, bytes));
            }
        } else {
            out.add(new Req(id + " oversized", method, path, "application/octet-stream", new byte[1024 * 1024 + 1]));
            out.add(new Req(id + " oversized (4 MB)", method, path, "application/octet-stream", new byte[4 * 1024 * 1024]));
            out.add(new Req(id + " empty", method, path, "application/octet-stream", new byte[0]));
            out.add(new Req(id + " no body", method, path, "application/octet-stream", null));
            for (String ct : List.of("application/json", "text/plain", "application/xml", "multipart/form-data; boundary=x")) {
                out.add(new Req(id + " content-type " + ct, method, path, ct, bytes));
            }
        }
        return out;
    }

    /** Unknown paths and methods, and tricks in the URL itself. */
    private List<Req> stray() {
        List<Req> out = new ArrayList<>();
        for (String p : List.of("/api/v1/nope", "/api/v1/devices/" + fx.device + "/nope", "/api/v1/../../etc/passwd",
                "/api/v1/devices/..%2F..%2F..%2Fetc%2Fpasswd", "/api/v1/devices/%2e%2e/%2e%2e/etc/passwd", "/api/v1/models/%00",
                "/api/v1/jobs/" + "%41".repeat(3000), "/api/v2/devices", "/api/v1/devices;jsessionid=x/..;/workers")) {
            out.add(new Req("stray GET " + abbreviate(p), "GET", p, null, null));
        }
        for (String m : List.of("DELETE", "PATCH", "PUT")) {
            out.add(Req.json("stray " + m + " devices", m, "/api/v1/devices", "{\"name\":\"x\"}"));
            out.add(Req.json("stray " + m + " job", m, "/api/v1/jobs/" + fx.job, "{}"));
        }
        out.add(new Req("stray POST on a GET", "POST", "/api/v1/trials/" + UUID.randomUUID(), "application/json", "{}".getBytes()));
        return out;
    }

    // ---------------------------------------------------------------- schema walking

    interface PropertyVisitor {
        void visit(List<String> path, Map<String, Object> schema, boolean required);
    }

    private void walk(Map<String, Object> schema, List<String> prefix, PropertyVisitor v) {
        Map<String, Object> props = cast(schema.getOrDefault("properties", Map.of()));
        List<?> required = (List<?>) schema.getOrDefault("required", List.of());
        for (var e : props.entrySet()) {
            List<String> path = new ArrayList<>(prefix);
            path.add(e.getKey());
            Map<String, Object> s = deref(cast(e.getValue()));
            v.visit(path, s, prefix.isEmpty() && required.contains(e.getKey()));
            if ("object".equals(s.get("type")) && s.containsKey("properties")) walk(s, path, v);
        }
    }

    /** Values that break the schema; for query strings only values that survive URL encoding. */
    private List<Object> invalidValues(Map<String, Object> s, boolean query) {
        List<Object> v = new ArrayList<>();
        String type = (String) s.getOrDefault("type", "object");
        List<?> en = (List<?>) s.get("enum");
        if (en != null) {
            v.add("NO_SUCH_VALUE");
            v.add("../x");
            if (!query) v.add(List.of(en.get(0)));
            if (type.equals("integer")) v.add(3);
            if (!query) v.add(Map.of());
            return v;
        }
        switch (type) {
            case "string" -> {
                if (!query) { v.add(Map.of("x", 1)); v.add(List.of("a", "b")); }
                if ("uuid".equals(s.get("format"))) {
                    v.addAll(List.of("not-a-uuid", "../../etc/passwd", "\u0000", "x".repeat(10_000), "{" + UUID.randomUUID() + "}"));
                    if (!query) v.add(12345);
                }
                if (s.get("maxLength") instanceof Integer max) { v.add("x".repeat(max + 1)); v.add("\u00e9".repeat(max + 1)); }
                if (s.get("minLength") instanceof Integer min && min > 0) v.add("");
                if (s.get("pattern") != null) v.addAll(List.of("../../etc/passwd", "a\u0000b", "white space", "\u202E", "x".repeat(300)));
            }
            case "integer", "number" -> {
                v.add("abc");
                if (!query) { v.add(Map.of()); v.add(List.of(1)); }
                boolean integer = type.equals("integer");
                if (integer) v.add(new java.math.BigInteger("99999999999999999999999"));
                if (s.get("minimum") instanceof Number min) {
                    v.add(below(min, Boolean.TRUE.equals(s.get("exclusiveMinimum")), integer));
                    if (!query) v.add(new java.math.BigDecimal("-1e400"));
                }
                if (s.get("maximum") instanceof Number max) v.add(above(max, Boolean.TRUE.equals(s.get("exclusiveMaximum")), integer));
                if (!integer && !query) v.add(new java.math.BigDecimal("1e400"));
            }
            case "boolean" -> {
                v.add("maybe");
                if (!query) { v.add(Map.of()); v.add(List.of(true)); }
            }
            case "array" -> {
                if (query) break;
                v.add("not-an-array");
                v.add(Map.of("0", "x"));
                if (s.get("minItems") instanceof Integer min && min > 0) v.add(List.of());
                Map<String, Object> items = deref(cast(s.getOrDefault("items", Map.of())));
                if (s.get("maxItems") instanceof Integer max) {
                    List<Object> many = new ArrayList<>();
                    for (int i = 0; i <= max; i++) many.add(validItem(items));
                    v.add(many);
                }
                for (Object bad : invalidValues(items, false)) {
                    List<Object> one = new ArrayList<>();
                    one.add(validItem(items));
                    one.add(bad);
                    v.add(one);
                }
            }
            case "object" -> {
                if (query) break;
                v.add("not-an-object");
                v.add(List.of(Map.of()));
                v.add(42);
            }
            default -> { }
        }
        return v;
    }

    private Object validItem(Map<String, Object> items) {
        if (items.get("enum") instanceof List<?> en) return en.get(0);
        if ("uuid".equals(items.get("format"))) return fx.device.toString();
        return switch (String.valueOf(items.get("type"))) {
            case "number" -> 0.5;
            case "integer" -> 1;
            default -> "conv1";
        };
    }

    private static Number below(Number min, boolean exclusive, boolean integer) {
        if (exclusive) return min;
        return integer ? (Number) (min.longValue() - 1) : (Number) (min.doubleValue() - 0.001);
    }

    private static Number above(Number max, boolean exclusive, boolean integer) {
        if (exclusive) return max;
        return integer ? (Number) (max.longValue() + 1) : (Number) (max.doubleValue() + 0.001);
    }

    private String firstRequired(Map<String, Object> schema) {
        List<?> required = (List<?>) schema.getOrDefault("required", List.of());
        return required.isEmpty() ? "x" : (String) required.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> m) {
        Map<String, Object> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, v instanceof Map<?, ?> inner ? copy((Map<String, Object>) inner) : v));
        return c;
    }

    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> m, List<String> path, Object value) {
        Map<String, Object> cur = m;
        for (int i = 0; i < path.size() - 1; i++) {
            cur = (Map<String, Object>) cur.computeIfAbsent(path.get(i), k -> new LinkedHashMap<String, Object>());
        }
        cur.put(path.get(path.size() - 1), value);
    }

    @SuppressWarnings("unchecked")
    private static void remove(Map<String, Object> m, List<String> path) {
        Map<String, Object> cur = m;
        for (int i = 0; i < path.size() - 1; i++) cur = (Map<String, Object>) cur.get(path.get(i));
        cur.remove(path.get(path.size() - 1));
    }

    private Map<String, Object> deref(Map<String, Object> node) {
        Object ref = node.get("$ref");
        if (!(ref instanceof String r)) return node;
        Map<String, Object> cur = spec;
        for (String part : r.substring(2).split("/")) cur = cast(cur.get(part));
        return deref(cur);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    private static Map<String, Object> load() throws IOException {
        Path file = Path.of("../openapi.yaml");
        if (!Files.exists(file)) file = Path.of("openapi.yaml");
        return new Yaml().load(Files.readString(file));
    }

    // ---------------------------------------------------------------- sending and judging

    private Req multipart(String label, String method, String path, Map<String, String> fields, byte[] file) {
        String boundary = "----fuzz" + UUID.randomUUID();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        fields.forEach((k, v) -> out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + k + "\"\r\n\r\n" + v + "\r\n")
                .getBytes(StandardCharsets.UTF_8)));
        if (file != null) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../evil.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(file);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new Req(label, method, path, "multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    private Sent send(Req r) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + r.path)).timeout(Duration.ofSeconds(60));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("bad fuzz URI for " + r.label, e);
        }
        if (r.contentType != null && !r.contentType.isEmpty()) b.header("Content-Type", r.contentType);
        b.method(r.method, r.body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body));
        try {
            HttpResponse<byte[]> resp = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Sent(r.label, resp.statusCode(), resp.headers().firstValue("Content-Type").orElse(""),
                    new String(resp.body(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the server closing the connection on an oversized upload is a refusal, but it must not be a crash
            return new Sent(r.label, 499, "", "connection closed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isProblem(Sent s) {
        if (!s.contentType.startsWith("application/problem+json")) return false;
        try {
            JsonNode p = Api.JSON.readTree(s.body);
            return p.path("status").asInt() == s.status && !p.path("title").asString("").isBlank()
                    && !p.path("detail").asString("").isBlank();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String abbreviate(String s) {
        String clean = s.replace("\u0000", "\\0").replace("\r", "\\r").replace("\n", "\\n");
        return clean.length() > 120 ? clean.substring(0, 120) + "...(" + clean.length() + ")" : clean;
    }
}
