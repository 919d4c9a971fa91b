package dev.frontier.worker.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The worker jar as its own process ({@code agent}), small limits, so it can be killed with -9. */
final class WorkerProcess implements AutoCloseable {
    static final Path JAR = Path.of("target/frontier-worker.jar");
    private final Process process;
    final Path log;

    WorkerProcess(String coordinatorUrl, String device, Path workDir, Path log) throws IOException {
        Files.createDirectories(workDir);
        this.log = log;
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true", "-Xmx1g",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-jar", JAR.toAbsolutePath().toString(), "agent", "--coordinator", coordinatorUrl, "--device", device,
                "--roles", "build,measure", "--work-dir", workDir.toString(), "--eval-limit", "200", "--train-limit", "1000",
                "--lease-wait", "2", "--heartbeat", "1", "--measure-timeout", "120"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putIfAbsent("DJL_CACHE_DIR", Path.of(System.getProperty("user.home"), ".djl.ai").toString());
        // agents enroll with the pool token and continue with their own worker token
        pb.environment().put("FRONTIER_TOKEN", Coordinator.ENROLL_TOKEN);
        process = pb.start();
    }

    boolean alive() {
        return process.isAlive();
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill9();
    }
}
