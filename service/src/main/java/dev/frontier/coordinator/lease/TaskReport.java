package dev.frontier.coordinator.lease;

import java.util.Objects;

import dev.frontier.coordinator.api.model.BuildMetrics;
import dev.frontier.coordinator.api.model.LatencyMetrics;
import dev.frontier.coordinator.api.model.ModelProfile;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.Json;
import tools.jackson.databind.JsonNode;

/**
 * A completion's result (openapi TaskReport) read as its lease kind's schema: the coordinator knows
 * the kind from the lease, so it never guesses it from the fields. PROFILE: {@link ModelProfile};
 * BUILD: {@link BuildMetrics}; MEASURE:
 * {@link LatencyMetrics}. Exactly one of the three is set.
 */
public record TaskReport(TaskKind kind, ModelProfile profile, BuildMetrics build, LatencyMetrics latency) {

    /** A worker's report; a shape the contract does not allow is a 422 naming the field. */
    static TaskReport read(TaskKind kind, JsonNode result) {
        if (result == null || !result.isObject()) throw ApiException.unprocessable("result", "must be a JSON object");
        return switch (kind) {
            case PROFILE -> {
                // the generated type starts with an empty list: a profile without one is told apart here
                if (!result.path("layers").isArray()) throw ApiException.unprocessable("result.layers", "a model profile needs a 'layers' list");
                yield new TaskReport(kind, Json.readStrict(result, ModelProfile.class, "result"), null, null);
            }
            case BUILD -> new TaskReport(kind, null, Json.readStrict(result, BuildMetrics.class, "result"), null);
            case MEASURE -> new TaskReport(kind, null, null, Json.readStrict(result, LatencyMetrics.class, "result"));
        };
    }

    /** A report as the lease row stored it. */
    static TaskReport stored(TaskKind kind, String json) {
        return switch (kind) {
            case PROFILE -> new TaskReport(kind, Json.read(json, ModelProfile.class), null, null);
            case BUILD -> new TaskReport(kind, null, Json.read(json, BuildMetrics.class), null);
            case MEASURE -> new TaskReport(kind, null, null, Json.read(json, LatencyMetrics.class));
        };
    }

    /** The stored form (the lease row's result column). */
    String json() {
        return Json.write(Objects.requireNonNullElse(profile, build != null ? build : latency));
    }
}
