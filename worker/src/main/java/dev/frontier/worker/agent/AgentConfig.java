package dev.frontier.worker.agent;

import java.nio.file.Path;
import java.util.List;

/** Settings of one worker agent process. */
public record AgentConfig(String coordinator, String token, String deviceName, List<String> roles, Path workDir,
                          int leaseWaitSeconds, int heartbeatSeconds, int measureTimeoutSeconds,
                          int maxTasks, int measureThreads, int evalLimit, int trainLimit) {
    public boolean builds() {
        return roles.contains("build");
    }

    public boolean measures() {
        return roles.contains("measure");
    }
}
