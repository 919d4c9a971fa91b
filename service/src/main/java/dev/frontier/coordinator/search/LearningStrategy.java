package dev.frontier.coordinator.search;

import dev.frontier.coordinator.api.model.CompressionConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * What the model-based strategies share: the observed results (this job's and, on warm start,
 * earlier jobs'), deduplicated per genome with the highest-fidelity result winning, and the set
 * of genomes already proposed in this job. Everything is rebuilt from observe()/history on each
 * call, so a strategy is a pure function of its seed and the history.
 */
abstract class LearningStrategy implements SearchStrategy {
    private static final int MAX_DRAWS = 200;
    protected final RandomGenerator random;
    private final List<TrialResult> observed = new ArrayList<>();

    LearningStrategy(RandomGenerator random) {
        this.random = random;
    }

    @Override
    public void observe(List<TrialResult> results) {
        observed.addAll(results);
    }

    /** Every result observed so far, in observation order (all fidelities, failures included). */
    List<TrialResult> observed() {
        return java.util.Collections.unmodifiableList(observed);
    }

    /** Usable results by genome key, in observation order; a higher fidelity replaces a lower one. */
    Map<String, Known> known(Encoding enc) {
        Map<String, Known> out = new LinkedHashMap<>();
        for (TrialResult r : observed) {
            if (!r.usable()) continue;
            int[] g = enc.decode(r.config());
            String key = Encoding.key(g);
            Known prev = out.get(key);
            if (prev == null || r.fidelity() >= prev.result().fidelity()) out.put(key, new Known(g, r));
        }
        return out;
    }

    /** Genomes that failed to build: not worth proposing again. */
    Set<String> failed(Encoding enc) {
        Set<String> out = new HashSet<>();
        for (TrialResult r : observed) if (r.failed()) out.add(Encoding.key(enc.decode(r.config())));
        return out;
    }

    static Set<String> proposedKeys(Encoding enc, SearchHistory history) {
        Set<String> out = new HashSet<>();
        for (CompressionConfig c : history.proposedConfigs()) out.add(Encoding.key(enc.decode(c)));
        return out;
    }

    double baselineSize() {
        double max = 1;
        for (TrialResult r : observed) {
            if (r.sizeBytes() == null) continue;
            if (Configs.isDense(r.config())) return r.sizeBytes();
            max = Math.max(max, r.sizeBytes());
        }
        return max;
    }

    /** A random genome not in {@code taken}, or null when none is found in a fair number of draws. */
    int[] freshRandom(Encoding enc, Set<String> taken) {
        for (int i = 0; i < MAX_DRAWS; i++) {
            int[] g = enc.random(random);
            if (!taken.contains(Encoding.key(g))) return g;
        }
        return null;
    }

    static Proposal proposal(Encoding enc, int[] g, SearchHistory history) {
        return new Proposal(enc.config(g), history.fidelityMax());
    }

    record Known(int[] genome, TrialResult result) {
    }
}
