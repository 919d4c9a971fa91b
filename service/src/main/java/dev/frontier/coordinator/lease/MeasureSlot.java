package dev.frontier.coordinator.lease;

import java.util.UUID;

/** One measurement of a built trial to queue: on which device, with which runtime, timing which artifact. */
public record MeasureSlot(UUID deviceId, String runtime, String artifactSha256) {
}
