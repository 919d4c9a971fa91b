package dev.frontier.coordinator.search;

import java.util.List;

/**
 * The choices a strategy may make: per prunable layer the schemes that fit it, the rate grid,
 * pattern-library sizes, and the quantization options (0 = float32) applied model-wide.
 */
public record SearchSpace(List<LayerChoice> layers, List<Double> rates, List<Integer> patternCounts,
        List<Double> connectivity, List<Integer> quantizeBits) {

    public record LayerChoice(String name, List<String> schemes) {
    }

    public boolean isEmpty() {
        return layers.isEmpty() && quantizeBits.stream().allMatch(b -> b == 0);
    }
}
