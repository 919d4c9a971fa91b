package dev.frontier.worker.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.Executor;
import dev.frontier.worker.compile.FrontierCompiler;
import dev.frontier.worker.compile.Plan;
import dev.frontier.worker.compile.Tuner;
import dev.frontier.worker.measure.LatencyProtocol;
import dev.frontier.worker.measure.LatencyResult;
import tools.jackson.databind.node.ObjectNode;

/**
 * MEASURE: the latency of a built artifact on this device. It holds the device exclusively, tunes the
 * kernel variants for this device (cached), then runs the latency protocol on the artifact's bytes.
 * A watchdog turns a hang into a DEVICE_TIMEOUT failure instead of a silently stuck lease.
 */
final class MeasureTask {
    private final ArtifactCache artifacts;
    private final DeviceLock deviceLock;
    private final AgentConfig config;

    MeasureTask(ArtifactCache artifacts, DeviceLock deviceLock, AgentConfig config) {
        this.artifacts = artifacts;
        this.deviceLock = deviceLock;
        this.config = config;
    }

    TaskResult run(Lease lease, Progress progress) throws TaskFailure {
        if (lease.artifactSha256() == null) {
            throw new TaskFailure("BAD_LEASE", "MEASURE lease carries no artifact sha256", false);
        }
        Plan plan;
        try {
            plan = Artifact.fromBytes(Files.readAllBytes(ModelLoader.fetch(artifacts, lease.artifactSha256(), "artifact")));
        } catch (IllegalArgumentException e) {
            throw new TaskFailure("INVALID_ARTIFACT", "the artifact cannot be loaded: " + e.getMessage(), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        progress.report(0.1, "waiting for exclusive use of the device");
        ExecutorService watchdog = Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "measure");
            th.setDaemon(true);
            return th;
        });
        try (DeviceLock.Held held = deviceLock.exclusive()) {
            progress.report(0.2, "tuning kernels and timing on the device");
            Future<LatencyResult> f = watchdog.submit(() -> time(plan));
            LatencyResult r = f.get(config.measureTimeoutSeconds(), TimeUnit.SECONDS);
            ObjectNode result = CoordinatorClient.JSON.valueToTree(r.toMap());
            result.put("device", HardwareProbe.cpuModel());
            progress.report(1, "measured");
            return new TaskResult(result, null);
        } catch (TimeoutException e) {
            throw new TaskFailure("DEVICE_TIMEOUT", "measurement did not finish within "
                    + config.measureTimeoutSeconds() + " s", true);
        } catch (ExecutionException e) {
            throw new TaskFailure("MEASURE_ERROR", "measurement failed: " + e.getCause(), false, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailure("INTERRUPTED", "interrupted while measuring", true);
        } finally {
            watchdog.shutdownNow();
        }
    }

    private LatencyResult time(Plan plan) {
        Tuner.tune(plan, config.measureThreads(), FrontierCompiler.Options.defaults().cache());
        try (Executor ex = new Executor(plan, config.measureThreads())) {
            return LatencyProtocol.measure(ex, LatencyProtocol.Options.defaults());
        }
    }
}
