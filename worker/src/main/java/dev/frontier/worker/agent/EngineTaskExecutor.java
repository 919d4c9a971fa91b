package dev.frontier.worker.agent;

/** Runs PROFILE, BUILD and MEASURE tasks with the engine, compiler and measurement packages. */
public final class EngineTaskExecutor implements TaskExecutor {
    private final AgentConfig config;
    private final CoordinatorClient client;

    public EngineTaskExecutor(AgentConfig config, CoordinatorClient client) {
        this.config = config;
        this.client = client;
    }

    @Override
    public TaskResult execute(Lease lease, Progress progress) throws TaskFailure {
        throw new TaskFailure("UNSUPPORTED", "task kind " + lease.kind() + " is not wired yet", false);
    }
}
