package dev.frontier.coordinator.search;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Uniform sampling of the space: the baseline every smarter strategy has to beat. Proposals run at
 * the highest fidelity (multi-fidelity scheduling belongs to strategies that can use it).
 */
public class RandomStrategy implements SearchStrategy {
    private static final int MAX_DRAWS = 50;
    private final RandomGenerator random;

    public RandomStrategy(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public void observe(List<TrialResult> results) {
        // random search does not learn
    }

    @Override
    public List<Proposal> propose(SearchHistory history, int n) {
        Set<Map<String, Object>> seen = new HashSet<>(history.proposedConfigs());
        List<Proposal> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> config = null;
            for (int draw = 0; draw < MAX_DRAWS; draw++) {
                Map<String, Object> candidate = sample(history.space());
                if (seen.add(candidate)) {
                    config = candidate;
                    break;
                }
            }
            if (config == null) break; // the space is (nearly) exhausted
            out.add(new Proposal(config, history.fidelityMax()));
        }
        return out;
    }

    Map<String, Object> sample(SearchSpace space) {
        Map<String, Object> layers = new LinkedHashMap<>();
        for (SearchSpace.LayerChoice layer : space.layers()) {
            String scheme = pick(layer.schemes());
            Map<String, Object> prune = prune(scheme, space);
            if (prune != null) layers.put(layer.name(), Map.of("prune", prune));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        int bits = pick(space.quantizeBits());
        if (bits > 0) config.put("default", Map.of("quantize", Map.of("bits", bits, "scheme", "symmetric")));
        if (!layers.isEmpty()) config.put("layers", layers);
        return config;
    }

    private Map<String, Object> prune(String scheme, SearchSpace space) {
        return switch (scheme) {
            case "none" -> null;
            case "pattern" -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("scheme", "pattern");
                p.put("patterns", pick(space.patternCounts()));
                double connectivity = pick(space.connectivity());
                if (connectivity > 0) p.put("connectivity", connectivity);
                yield p;
            }
            case "block" -> Map.of("scheme", "block", "rate", pick(space.rates()), "block", List.of(4, 16));
            default -> Map.of("scheme", scheme, "rate", pick(space.rates()));
        };
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
