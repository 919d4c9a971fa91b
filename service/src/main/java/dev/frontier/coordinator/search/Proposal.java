package dev.frontier.coordinator.search;

import dev.frontier.coordinator.api.model.CompressionConfig;

import java.util.Map;

/**
 * A configuration to try (docs/contracts.md shape) and how long to fine-tune it, in epochs.
 * {@code promotedFrom} is set when the proposal re-runs an earlier low-fidelity trial at full fidelity.
 */
public record Proposal(CompressionConfig config, double fidelity, Integer promotedFrom) {
    public Proposal(CompressionConfig config, double fidelity) {
        this(config, fidelity, null);
    }
}
