package dev.frontier.worker.agent;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The real coordinator jar started as a separate process on a free port, with its embedded
 * PostgreSQL in a temporary data directory. Built by the reactor before the worker's tests run.
 */
final class CoordinatorProcess implements AutoCloseable {
    static final Path JAR = Path.of("../service/target/frontier-service.jar");
    private final Process process;
    private final Path log;
    private final Path dataDir;
    final String url;

    CoordinatorProcess(Path dataDir) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        url = "http://localhost:" + port;
        this.dataDir = dataDir;
        log = dataDir.resolve("coordinator.log");
        Files.createDirectories(dataDir);
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", JAR.toAbsolutePath().toString());
        pb.environment().put("FRONTIER_DATA_DIR", dataDir.toAbsolutePath().toString());
        pb.environment().put("SERVER_PORT", Integer.toString(port));
        pb.environment().remove("SPRING_DATASOURCE_URL");
        pb.environment().remove("FRONTIER_ADMIN_TOKEN");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        process = pb.start();
        waitHealthy(Duration.ofSeconds(180));
    }

    private void waitHealthy(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("coordinator exited: " + tail());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("coordinator not healthy after " + timeout + ": " + tail());
    }

    /**
     * The admin token the coordinator generated at its first start: printed once on its console
     * and left in {@code <data dir>/admin-token}, which is how a local user finds it too.
     */
    String adminToken() throws IOException, InterruptedException {
        Path file = dataDir.resolve("admin-token");
        for (int i = 0; i < 120 && !Files.exists(file); i++) Thread.sleep(250);
        String token = Files.readString(file).strip();
        if (!tail().contains(token)) throw new IllegalStateException("the generated admin token was not printed on the console");
        return token;
    }

    String tail() throws IOException {
        return LogTail.of(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
