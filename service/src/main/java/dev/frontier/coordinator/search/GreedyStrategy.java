package dev.frontier.coordinator.search;

import dev.frontier.coordinator.goal.Goal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Latency-guided greedy, after NetAdapt. Starting from the lightest point (the dense baseline when
 * the space allows it), each step proposes every one-notch tightening of one layer (or of the
 * quantization), waits for their results, and moves to the candidate with the best latency gain
 * per accuracy point lost. The gain is the tightened layer's own per-layer time when the agent
 * reported {@code perLayerMs} (less noisy than the whole model), else the whole-model difference.
 * Once the target is met (or nothing is left to tighten) it explores around the best feasible
 * results: one-notch moves of one gene, then two.
 *
 * The path is replayed from the history on every call, so a restarted coordinator resumes it.
 */
public class GreedyStrategy extends LearningStrategy {
    /** Accuracy drops smaller than this count as this much, so a free gain does not divide by zero. */
    private static final double MIN_LOSS = 0.05;

    public GreedyStrategy(RandomGenerator random) {
        super(random);
    }

    @Override
    public List<Proposal> propose(SearchHistory history, int n) {
        Encoding enc = new Encoding(history.space());
        Set<String> taken = new HashSet<>(proposedKeys(enc, history));
        Map<String, Known> known = known(enc);
        Set<String> failed = failed(enc);
        Goal goal = history.goal();
        List<Proposal> out = new ArrayList<>();

        int[] current = enc.lightest();
        for (int step = 0; step < 10_000; step++) {
            Known here = known.get(Encoding.key(current));
            if (here == null && failed.contains(Encoding.key(current))) break;
            if (here == null) {
                // the start point itself is not measured yet: propose it (the dense baseline is trial 0)
                if (taken.add(Encoding.key(current))) out.add(proposal(enc, current, history));
                return out;
            }
            if (Objectives.latencyRatio(here.result(), goal) <= 1) break; // target met: explore
            List<Candidate> candidates = candidates(enc, current);
            if (candidates.isEmpty()) break;
            List<Candidate> open = new ArrayList<>();
            boolean pending = false;
            Candidate best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (Candidate c : candidates) {
                String key = Encoding.key(c.genome());
                Known k = known.get(key);
                if (k != null) {
                    double s = score(enc, here, k, c.gene());
                    if (s > bestScore) {
                        bestScore = s;
                        best = c;
                    }
                } else if (failed.contains(key)) {
                    continue;
                } else if (taken.contains(key)) {
                    pending = true;
                } else {
                    open.add(c);
                }
            }
            if (!open.isEmpty()) {
                for (Candidate c : open) {
                    if (out.size() == n) break;
                    taken.add(Encoding.key(c.genome()));
                    out.add(proposal(enc, c.genome(), history));
                }
                return out;
            }
            if (pending) return out; // a step is decided on all its candidates: wait for them
            if (best == null) break;
            current = best.genome();
        }
        return explore(enc, history, known, taken, failed, current, n, out);
    }

    private record Candidate(int gene, int[] genome) {
    }

    private static List<Candidate> candidates(Encoding enc, int[] current) {
        List<Candidate> out = new ArrayList<>();
        for (int gene = 0; gene < enc.genes(); gene++) {
            List<Integer> next = gene == enc.genes() - 1
                    ? (current[gene] + 1 < enc.arity(gene) ? List.of(current[gene] + 1) : List.of())
                    : enc.tighter(gene, current[gene]);
            for (int option : next) {
                int[] g = current.clone();
                g[gene] = option;
                out.add(new Candidate(gene, g));
            }
        }
        return out;
    }

    /** Latency gain per accuracy point lost; a candidate that gains nothing scores its (negative) gain. */
    private double score(Encoding enc, Known from, Known to, int gene) {
        double gain = Double.NaN;
        if (gene < enc.genes() - 1) {
            String layer = enc.layerName(gene);
            Double before = Objectives.layerMs(from.result(), layer);
            Double after = Objectives.layerMs(to.result(), layer);
            if (before != null && after != null) gain = before - after;
        }
        if (Double.isNaN(gain)) gain = total(from.result()) - total(to.result());
        if (gain <= 0) return gain;
        double loss = from.result().accuracy() - to.result().accuracy();
        return gain / Math.max(MIN_LOSS, loss);
    }

    private static double total(TrialResult r) {
        return r.latencyMs().values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /**
     * Around the best results: the feasible ones by accuracy, else the latency-feasible, else the
     * path's end. One-notch moves of one gene in a seeded order, then of two genes, then random.
     */
    private List<Proposal> explore(Encoding enc, SearchHistory history, Map<String, Known> known, Set<String> taken,
            Set<String> failed, int[] current, int n, List<Proposal> out) {
        Goal goal = history.goal();
        List<Known> anchors = new ArrayList<>(known.values());
        anchors.sort(Comparator.comparingDouble((Known k) -> Objectives.violation(k.result(), goal))
                .thenComparingDouble(k -> -k.result().accuracy()));
        List<int[]> centres = new ArrayList<>();
        for (int i = 0; i < Math.min(3, anchors.size()); i++) centres.add(anchors.get(i).genome());
        centres.add(current);
        for (int radius = 1; radius <= 2 && out.size() < n; radius++) {
            for (int[] centre : centres) {
                List<int[]> moves = moves(enc, centre, radius);
                shuffle(moves);
                for (int[] g : moves) {
                    if (out.size() == n) return out;
                    String key = Encoding.key(g);
                    if (failed.contains(key) || !taken.add(key)) continue;
                    out.add(proposal(enc, g, history));
                }
                if (out.size() == n) return out;
            }
        }
        while (out.size() < n) {
            int[] g = freshRandom(enc, taken);
            if (g == null) break;
            taken.add(Encoding.key(g));
            out.add(proposal(enc, g, history));
        }
        return out;
    }

    /** Fisher-Yates with the strategy's own generator (Collections.shuffle wants a java.util.Random). */
    private void shuffle(List<int[]> list) {
        for (int i = list.size() - 1; i > 0; i--) Collections.swap(list, i, random.nextInt(i + 1));
    }

    private static List<int[]> moves(Encoding enc, int[] centre, int radius) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < enc.genes(); i++) {
            for (int o : enc.neighbours(i, centre[i])) {
                int[] g = centre.clone();
                g[i] = o;
                if (radius == 1) {
                    out.add(g);
                    continue;
                }
                for (int j = i + 1; j < enc.genes(); j++) {
                    for (int p : enc.neighbours(j, centre[j])) {
                        int[] h = g.clone();
                        h[j] = p;
                        out.add(h);
                    }
                }
            }
        }
        return out;
    }
}
