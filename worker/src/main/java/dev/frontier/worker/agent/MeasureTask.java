package dev.frontier.worker.agent;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import java.nio.file.Path;
import java.util.List;

import dev.frontier.worker.measure.LatencyProtocol;
import dev.frontier.worker.runtime.ModelRuntime;
import dev.frontier.worker.runtime.ModelRuntimes;
import dev.frontier.worker.measure.LatencyResult;
import dev.frontier.worker.contract.LatencyMetrics;
import dev.frontier.worker.contract.RuntimeDetails;

/**
 * MEASURE: the latency of a built artifact on this device with the lease's runtime. It holds the
 * device exclusively, prepares the artifact for the runtime (JVM: kernel variants tuned for this
 * device; native: the bundle compiled by the device's C compiler; ONNX Runtime: a session), then runs
 * the latency protocol.
 * A watchdog turns a hang into a DEVICE_TIMEOUT failure instead of a silently stuck lease.
 */
final class MeasureTask {
    private final ArtifactCache artifacts;
    private final DeviceLock deviceLock;
    private final AgentConfig config;
    private final List<ModelRuntime> runtimes;

    MeasureTask(ArtifactCache artifacts, DeviceLock deviceLock, AgentConfig config, List<ModelRuntime> runtimes) {
        this.artifacts = artifacts;
        this.deviceLock = deviceLock;
        this.config = config;
        this.runtimes = runtimes;
    }

    TaskResult run(Lease lease, Progress progress) throws TaskFailure {
        if (lease.artifactSha256() == null) {
            throw new TaskFailure("BAD_LEASE", "MEASURE lease carries no artifact sha256", false);
        }
        ModelRuntime runtime = ModelRuntimes.byName(runtimes, lease.runtime()).orElseThrow(() -> new TaskFailure(
                "UNKNOWN_RUNTIME", "this worker does not measure with runtime " + lease.runtime(), false));
        Path artifact = ModelLoader.fetch(artifacts, lease.artifactSha256(), "artifact");
        progress.report(0.1, "waiting for exclusive use of the device");
        ExecutorService watchdog = Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "measure");
            th.setDaemon(true);
            return th;
        });
        try (DeviceLock.Held held = deviceLock.exclusive()) {
            progress.report(0.2, "preparing the " + runtime.name() + " model and timing it on the device");
            Future<Timed> f = watchdog.submit(() -> time(runtime, artifact));
            Timed t = f.get(config.measureTimeoutSeconds(), TimeUnit.SECONDS);
            LatencyMetrics result = t.latency().toMetrics().device(HardwareProbe.cpuModel()).runtime(runtime.name())
                    .runtimeDetails(t.details()).emulated(Boolean.TRUE.equals(t.details().getEmulated()) ? Boolean.TRUE : null);
            progress.report(1, "measured");
            return new TaskResult(result, null);
        } catch (TimeoutException e) {
            throw new TaskFailure("DEVICE_TIMEOUT", "measurement did not finish within "
                    + config.measureTimeoutSeconds() + " s", true);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw new TaskFailure("INVALID_ARTIFACT", "the " + runtime.name() + " artifact cannot be loaded: " + bad.getMessage(), false);
            }
            throw new TaskFailure("MEASURE_ERROR", runtime.name() + " measurement failed: " + e.getCause(), false, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailure("INTERRUPTED", "interrupted while measuring", true);
        } finally {
            watchdog.shutdownNow();
        }
    }

    private record Timed(LatencyResult latency, RuntimeDetails details) {
    }

    private Timed time(ModelRuntime runtime, Path artifact) {
        try (ModelRuntime.Prepared p = runtime.prepare(artifact, config.measureThreads())) {
            return new Timed(p.time(LatencyProtocol.Options.defaults()), p.details());
        }
    }
}
