package dev.frontier.coordinator.search;

import java.util.Map;

/** A configuration to try (docs/contracts.md shape) and how long to fine-tune it, in epochs. */
public record Proposal(Map<String, Object> config, double fidelity) {
}
