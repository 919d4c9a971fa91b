package dev.frontier.coordinator.search;

import java.util.Map;

/**
 * A configuration to try (docs/contracts.md shape) and how long to fine-tune it, in epochs.
 * {@code promotedFrom} is set when the proposal re-runs an earlier low-fidelity trial at full fidelity.
 */
public record Proposal(Map<String, Object> config, double fidelity, Integer promotedFrom) {
    public Proposal(Map<String, Object> config, double fidelity) {
        this(config, fidelity, null);
    }
}
