package dev.frontier.worker.agent;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Stoplight Prism in proxy mode with {@code --errors}, in front of a real coordinator: it validates every
 * request and response against openapi.yaml, answers an invalid request with 422 instead of forwarding it
 * and turns an invalid response into a 500, and names the violations in the {@code sl-violations} header.
 * Installed by {@code npm ci} in deploy/contract-proxy (CI does that), or taken from PATH.
 */
final class PrismProcess implements AutoCloseable {
    static final Path SPEC = Path.of("../openapi.yaml");
    static final Path LOCAL_INSTALL = Path.of("../deploy/contract-proxy/node_modules/.bin/prism");

    private final Process process;
    private final Path log;
    final String url;

    PrismProcess(Path executable, String upstream, Path log) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        url = "http://127.0.0.1:" + port;
        this.log = log;
        ProcessBuilder pb = new ProcessBuilder(executable.toString(), "proxy", SPEC.toAbsolutePath().toString(), upstream,
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--errors");
        // no colours in the log the failure message quotes; no usage analytics (there is no network anyway)
        pb.environment().put("FORCE_COLOR", "0");
        pb.environment().put("SCARF_ANALYTICS", "false");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        process = pb.start();
        awaitListening(port, Duration.ofSeconds(60));
    }

    /** The installed Prism: deploy/contract-proxy's, else {@code prism} on PATH; null when neither exists. */
    static Path find() {
        if (Files.isExecutable(LOCAL_INSTALL)) return LOCAL_INSTALL.toAbsolutePath();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "prism");
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    private void awaitListening(int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IllegalStateException("prism exited: " + tail());
            // it opens the port only after it has read and dereferenced the whole spec
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("prism not listening after " + timeout + ": " + tail());
    }

    String tail() throws IOException {
        return LogTail.of(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
