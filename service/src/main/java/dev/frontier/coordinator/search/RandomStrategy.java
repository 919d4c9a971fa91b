package dev.frontier.coordinator.search;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import dev.frontier.coordinator.api.model.CompressionConfig;
import dev.frontier.coordinator.api.model.PruneSettings;

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
        Set<CompressionConfig> seen = new HashSet<>(history.proposedConfigs());
        List<Proposal> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompressionConfig config = null;
            for (int draw = 0; draw < MAX_DRAWS; draw++) {
                CompressionConfig candidate = sample(history.space());
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

    CompressionConfig sample(SearchSpace space) {
        Map<String, PruneSettings> layers = new LinkedHashMap<>();
        for (SearchSpace.LayerChoice layer : space.layers()) {
            String scheme = pick(layer.schemes());
            PruneSettings prune = Configs.prune(scheme, pick(space.rates()), pick(space.patternCounts()), pick(space.connectivity()),
                    scheme.equals("block") ? pick(space.blockShapes()) : null);
            if (prune != null) layers.put(layer.name(), prune);
        }
        return Configs.of(layers, pick(space.quantizeBits()));
    }

    private <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
