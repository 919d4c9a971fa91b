package dev.frontier.worker.agent;

import java.util.List;
import java.util.Map;

import dev.frontier.worker.runtime.ModelRuntime;
import dev.frontier.worker.runtime.ModelRuntimes;

/** Runs PROFILE, BUILD and MEASURE tasks with the engine, compiler and measurement packages. */
public final class EngineTaskExecutor implements TaskExecutor {
    private final ProfileTask profile;
    private final BuildTask build;
    private final MeasureTask measure;
    private final DeviceLock deviceLock;
    private final List<ModelRuntime> runtimes;

    public EngineTaskExecutor(AgentConfig config, CoordinatorClient client) {
        ArtifactCache cache = new ArtifactCache(config.workDir().resolve("cache"), client);
        ModelLoader models = new ModelLoader(cache);
        this.deviceLock = new DeviceLock(config.workDir().resolve("device.lock"));
        this.profile = new ProfileTask(models, cache, config);
        this.build = new BuildTask(models, cache, config);
        this.runtimes = config.measures() ? ModelRuntimes.detect(config.runtimes(), config.workDir()) : List.of();
        this.measure = new MeasureTask(cache, deviceLock, config, runtimes);
    }

    @Override
    public List<Map<String, Object>> runtimes() {
        return runtimes.stream().map(ModelRuntime::describe).toList();
    }

    @Override
    public TaskResult execute(Lease lease, Progress progress) throws TaskFailure {
        return switch (lease.kind()) {
            case "PROFILE" -> profile.run(lease, progress);
            case "BUILD" -> {
                // builds share the device: they only wait while a measurement owns it
                try (DeviceLock.Held held = deviceLock.shared()) {
                    yield build.run(lease, progress);
                }
            }
            case "MEASURE" -> measure.run(lease, progress);
            default -> throw new TaskFailure("UNSUPPORTED", "unknown task kind " + lease.kind(), false);
        };
    }
}
