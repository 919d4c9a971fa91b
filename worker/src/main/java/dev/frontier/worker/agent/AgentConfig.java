package dev.frontier.worker.agent;

import java.nio.file.Path;
import java.util.List;

/** Settings of one worker agent process. {@code runtimes}: the ones to measure with (empty: all detected). */
public record AgentConfig(String coordinator, String token, String deviceName, List<String> roles, Path workDir,
                          int leaseWaitSeconds, int heartbeatSeconds, int measureTimeoutSeconds,
                          int maxTasks, int measureThreads, int evalLimit, int trainLimit, List<String> runtimes) {
    public AgentConfig(String coordinator, String token, String deviceName, List<String> roles, Path workDir,
                       int leaseWaitSeconds, int heartbeatSeconds, int measureTimeoutSeconds,
                       int maxTasks, int measureThreads, int evalLimit, int trainLimit) {
        this(coordinator, token, deviceName, roles, workDir, leaseWaitSeconds, heartbeatSeconds, measureTimeoutSeconds,
                maxTasks, measureThreads, evalLimit, trainLimit, List.of());
    }

    public boolean builds() {
        return roles.contains("build");
    }

    public boolean measures() {
        return roles.contains("measure");
    }
}
