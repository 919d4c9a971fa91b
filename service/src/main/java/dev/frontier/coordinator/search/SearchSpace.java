package dev.frontier.coordinator.search;

import java.util.List;
import java.util.Map;

/**
 * The choices a strategy may make: per prunable layer the schemes that fit it, the rate grid,
 * pattern-library sizes, block shapes (as the profile's scheme registry advertises them), and the quantization options (0 = float32) applied model-wide.
 */
public record SearchSpace(List<LayerChoice> layers, List<Double> rates, List<Integer> patternCounts,
        List<Double> connectivity, List<List<Integer>> blockShapes, List<Integer> quantizeBits) {

    /**
     * A layer's schemes; {@code caps} (scheme -> rate) removes that scheme's options at or above the
     * rate (for pattern: the connectivity), e.g. where the sensitivity profile shows the layer
     * collapsing. Empty: no cap.
     */
    public record LayerChoice(String name, List<String> schemes, Map<String, Double> caps) {
        public LayerChoice(String name, List<String> schemes) {
            this(name, schemes, Map.of());
        }

        public boolean allows(String scheme, double rate) {
            Double cap = caps.get(scheme);
            return cap == null || rate < cap - 1e-9;
        }
    }

    public boolean isEmpty() {
        return layers.isEmpty() && quantizeBits.stream().allMatch(b -> b == 0);
    }
}
