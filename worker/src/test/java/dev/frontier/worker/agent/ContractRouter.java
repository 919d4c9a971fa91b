package dev.frontier.worker.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import tools.jackson.databind.JsonNode;

/**
 * The address the agent and the test talk to: JSON traffic goes through Prism, binary bodies go straight
 * to the coordinator. Prism buffers every non-JSON body as UTF-8 text and so corrupts artifacts and
 * multipart model uploads (stoplightio/prism#1321, #2349): the content-addressed uploads would fail
 * their sha256 check. Records, per exchange through Prism, the violations it named: in the
 * {@code sl-violations} header, or in the problem it answered instead of the coordinator.
 */
final class ContractRouter implements AutoCloseable {
    /** GETs whose answer is application/octet-stream in openapi.yaml. */
    private static final Pattern BINARY_DOWNLOAD =
            Pattern.compile("/api/v1/(artifacts/[^/]+|trials/[^/]+/artifact|models/[^/]+/content)");
    private static final Pattern ID = Pattern.compile("/[0-9a-f]{8}-[0-9a-f-]{27}|/[0-9a-f]{64}");
    /** Set by the JDK client or per connection; the forwarding client sets its own. */
    private static final Set<String> NOT_FORWARDED =
            Set.of("connection", "content-length", "expect", "host", "upgrade", "http2-settings", "transfer-encoding",
                    "keep-alive");
    private static final String PRISM_PROBLEM = "https://stoplight.io/prism/errors#";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String prism;
    private final String coordinator;
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final Set<String> routes = new ConcurrentSkipListSet<>();
    private final AtomicInteger validated = new AtomicInteger();
    private final AtomicInteger bypassed = new AtomicInteger();
    final String url;

    ContractRouter(String prism, String coordinator) throws IOException {
        this.prism = prism;
        this.coordinator = coordinator;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // lease long-polls, heartbeats and the test's polling are in flight at once
        server.setExecutor(threads);
        server.createContext("/", this::route);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** One line per violating exchange: method, path, status and Prism's violations. */
    List<String> violations() {
        return List.copyOf(violations);
    }

    /** The operations Prism saw, ids folded ("POST /api/v1/leases/{id}/complete"): what the test covered. */
    List<String> validatedRoutes() {
        return List.copyOf(routes);
    }

    int validated() {
        return validated.get();
    }

    int bypassed() {
        return bypassed.get();
    }

    private void route(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            byte[] body = exchange.getRequestBody().readAllBytes();
            boolean binary = isBinary(method, uri.getPath(), contentType);
            (binary ? bypassed : validated).incrementAndGet();
            if (!binary) routes.add(method + " " + ID.matcher(uri.getPath()).replaceAll("/{id}"));
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create((binary ? coordinator : prism) + uri.getRawPath()
                            + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())))
                    .timeout(Duration.ofSeconds(180))
                    .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) values.forEach(v -> forward.header(name, v));
            });
            HttpResponse<InputStream> answer;
            try {
                answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (IOException e) {
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            try (InputStream in = answer.body()) {
                byte[] bytes = in.readAllBytes();
                if (!binary) record(method + " " + uri + " -> " + answer.statusCode(), answer, bytes);
                exchange.sendResponseHeaders(answer.statusCode(), bytes.length == 0 ? -1 : bytes.length);
                if (bytes.length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                }
            }
        }
    }

    /**
     * A violating response passed on (the {@code sl-violations} header) or replaced by Prism's own problem:
     * 422 for an invalid request, which it does not forward, 500 for an invalid response ({@code --errors}).
     */
    private void record(String exchange, HttpResponse<?> answer, byte[] body) {
        List<String> found = new ArrayList<>();
        answer.headers().firstValue("sl-violations").ifPresent(v -> found.addAll(describe(CoordinatorClient.JSON.readTree(v))));
        String text = new String(body, StandardCharsets.UTF_8);
        if (answer.statusCode() >= 400 && text.contains(PRISM_PROBLEM)) {
            JsonNode problem = CoordinatorClient.JSON.readTree(text);
            found.add(problem.path("type").asString().replace(PRISM_PROBLEM, "") + ": " + problem.path("detail").asString());
            describe(problem.path("validation")).stream().filter(v -> !found.contains(v)).forEach(found::add);
        }
        if (!found.isEmpty()) violations.add(exchange + "\n    " + String.join("\n    ", found));
    }

    /** Prism's validation entries as "severity location: message". */
    private static List<String> describe(JsonNode validations) {
        List<String> lines = new ArrayList<>();
        for (JsonNode v : validations) {
            List<String> location = new ArrayList<>();
            v.path("location").forEach(l -> location.add(l.asString()));
            lines.add(v.path("severity").asString() + " " + String.join(".", location) + ": " + v.path("message").asString());
        }
        return lines;
    }

    static boolean isBinary(String method, String path, String contentType) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        return type.startsWith("application/octet-stream") || type.startsWith("multipart/")
                || (method.equals("GET") && BINARY_DOWNLOAD.matcher(path).matches());
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
