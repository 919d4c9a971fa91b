package dev.frontier.worker.faults;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real coordinator jar as a separate process on a fixed port and data directory, so it can be
 * killed and started again on the same state; short lease TTL and reaper period make faults quick.
 */
final class Coordinator implements AutoCloseable {
    static final Path JAR = Path.of("../service/target/frontier-service.jar");
    /** Fixed tokens through the settings a deployment would use (FRONTIER_ADMIN_TOKEN, FRONTIER_WORKER_TOKEN). */
    static final String ADMIN_TOKEN = "frt_faults-admin-0123456789";
    static final String ENROLL_TOKEN = "frt_faults-enroll-0123456789";
    final Path dataDir;
    final int port;
    final String url;
    private final Map<String, String> env;
    private Process process;
    private int starts;

    Coordinator(Path dataDir, Map<String, String> env) throws IOException {
        this.dataDir = dataDir;
        this.port = freePort();
        this.url = "http://localhost:" + port;
        this.env = env;
        Files.createDirectories(dataDir);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    Coordinator start() throws IOException, InterruptedException {
        Path log = dataDir.resolve("coordinator-" + (++starts) + ".log");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", JAR.toAbsolutePath().toString());
        pb.environment().put("FRONTIER_DATA_DIR", dataDir.toAbsolutePath().toString());
        pb.environment().put("SERVER_PORT", Integer.toString(port));
        pb.environment().put("FRONTIER_LOG_FORMAT", "");
        pb.environment().remove("SPRING_DATASOURCE_URL");
        pb.environment().remove("FRONTIER_TOKEN");
        pb.environment().put("FRONTIER_ADMIN_TOKEN", ADMIN_TOKEN);
        pb.environment().put("FRONTIER_WORKER_TOKEN", ENROLL_TOKEN);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        process = pb.start();
        waitHealthy(Duration.ofSeconds(180), log);
        return this;
    }

    private void waitHealthy(Duration timeout, Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("coordinator exited: " + tail(log));
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("UP")) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("coordinator not healthy after " + timeout + ": " + tail(log));
    }

    /** kill -9: no shutdown hook runs, so the embedded PostgreSQL it started is orphaned. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** The embedded server's own pg_ctl, on the kept data directory. */
    int pgCtl(String... args) throws IOException, InterruptedException {
        Path pgCtl;
        try (Stream<Path> s = Files.walk(dataDir.resolve("pg-runtime"))) {
            pgCtl = s.filter(p -> p.getFileName().toString().equals("pg_ctl")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no pg_ctl under " + dataDir));
        }
        java.util.List<String> cmd = new java.util.ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses to run as root; the embedded server runs under `unshare -U`, so must its pg_ctl
            cmd.add("unshare");
            cmd.add("-U");
        }
        cmd.add(pgCtl.toString());
        cmd.add("-D");
        cmd.add(dataDir.resolve("pg").toAbsolutePath().toString());
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("pg_ctl.log").toFile())).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    String tail() throws IOException {
        return tail(dataDir.resolve("coordinator-" + starts + ".log"));
    }

    private static String tail(Path log) throws IOException {
        String s = Files.exists(log) ? Files.readString(log) : "";
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        }
        // a killed coordinator leaves its PostgreSQL behind: stop it by its data directory
        if (Files.exists(dataDir.resolve("pg").resolve("postmaster.pid"))) pgCtl("stop", "-m", "immediate", "-w");
    }
}
