package dev.frontier.worker.agent;

import tools.jackson.databind.node.ObjectNode;

/** What a finished task reports: its result document and, for builds, the uploaded artifact. */
public record TaskResult(ObjectNode result, String artifactSha256) {
}
