package dev.frontier.worker.agent;

/**
 * What a finished task reports: its result document (the contract's BuildMetrics or LatencyMetrics, or
 * the model profile) and, for builds, the uploaded artifact.
 */
public record TaskResult(Object result, String artifactSha256) {
}
