package dev.frontier.coordinator.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import dev.frontier.coordinator.frontier.FrontierService;
import dev.frontier.coordinator.frontier.Pareto;

/**
 * Model-based search. Three additive models over the per-layer genes ({@link GeneFeatures}, fitted
 * by {@link Ridge} on every usable result so far, both fidelities) predict log error, log latency
 * (as a multiple of the target) and log size. Candidates (the whole space when it is small, else
 * random points plus one-notch neighbours of the current front) are scored by how much they would
 * add to the hypervolume of the predicted full-fidelity frontier, judged optimistically (one
 * standard deviation better on error and latency), so options the models know little about
 * still get tried. The best are proposed one by one, each added to the frontier at its predicted
 * value before the next is chosen, so a batch spreads. A share of proposals stays uniformly random,
 * and until the models have enough results everything is random.
 *
 * The hypervolume uses the frontier's normalisation and reference point, so the latency target
 * bounds what counts: a point slower than twice the target adds nothing.
 */
public class SurrogateStrategy extends LearningStrategy {
    /** Share of proposals drawn uniformly at random, so a wrong model cannot hide a region forever. */
    static final double EXPLORE = 0.1;
    /** Ridge penalty: one result moves an effect about halfway from the prior mean. */
    private static final double LAMBDA = 1.0;
    /** Optimism in standard deviations. */
    private static final double OPTIMISM = 1.0;
    /** Spaces up to this size are scored exhaustively. */
    private static final long ENUMERATE = 5_000;
    private static final int RANDOM_CANDIDATES = 1_500;
    private static final int ERROR = 0;
    private static final int LATENCY = 1;
    private static final int SIZE = 2;

    public SurrogateStrategy(RandomGenerator random) {
        super(random);
    }

    /** Results needed before the models are trusted: a few more than the genes, at least 6. */
    static int minObservations(Encoding enc) {
        return Math.max(6, enc.genes() + 2);
    }

    @Override
    public List<Proposal> propose(SearchHistory history, int n) {
        Encoding enc = new Encoding(history.space());
        Set<String> taken = new java.util.HashSet<>(proposedKeys(enc, history));
        taken.addAll(failed(enc));
        List<TrialResult> usable = observed().stream().filter(TrialResult::usable).toList();
        Model model = usable.size() >= minObservations(enc) ? fit(enc, usable, history) : null;
        Map<String, int[]> candidates = model == null ? new LinkedHashMap<>() : candidates(enc, taken, model.frontGenomes());
        List<double[]> front = model == null ? List.of() : new ArrayList<>(model.front());
        List<Proposal> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] g = null;
            boolean explore = random.nextDouble() < EXPLORE;
            if (model != null && !explore) g = best(model, candidates, front);
            if (g == null) g = freshRandom(enc, taken);
            if (g == null) break;
            String key = Encoding.key(g);
            taken.add(key);
            candidates.remove(key);
            if (model != null) {
                // believe the prediction until the result is in, so the next pick goes elsewhere
                List<double[]> grown = with(front, model.predict(g));
                front = Pareto.nonDominated(grown).stream().map(grown::get).toList();
            }
            out.add(proposal(enc, g, history));
        }
        return out;
    }

    /** The candidate with the largest optimistic hypervolume gain; ties go to the most uncertain one. */
    private static int[] best(Model model, Map<String, int[]> candidates, List<double[]> front) {
        double[] ref = FrontierService.reference();
        double base = Pareto.hypervolume3d(front, ref);
        int[] best = null;
        double bestGain = -1;
        double bestSpread = -1;
        for (int[] g : candidates.values()) {
            Model.Scored s = model.score(g);
            double[] p = s.point();
            double gain = dominatedBy(front, p) ? 0 : Pareto.hypervolume3d(with(front, p), ref) - base;
            double spread = s.spread();
            if (gain > bestGain + 1e-12 || (Math.abs(gain - bestGain) <= 1e-12 && spread > bestSpread)) {
                best = g;
                bestGain = gain;
                bestSpread = spread;
            }
        }
        return best;
    }

    private static boolean dominatedBy(List<double[]> front, double[] p) {
        for (double[] q : front) if (Pareto.dominates(q, p) || java.util.Arrays.equals(q, p)) return true;
        return false;
    }

    private static List<double[]> with(List<double[]> front, double[] p) {
        List<double[]> out = new ArrayList<>(front);
        out.add(p);
        return out;
    }

    /** Every free point of a small space; else random free points and the one-notch neighbours of the front. */
    private Map<String, int[]> candidates(Encoding enc, Set<String> taken, List<int[]> front) {
        Map<String, int[]> out = new LinkedHashMap<>();
        long size = enc.size();
        if (size >= 0 && size <= ENUMERATE) {
            for (long i = 0; i < size; i++) {
                int[] g = enc.fromIndex(i);
                if (!taken.contains(Encoding.key(g))) out.put(Encoding.key(g), g);
            }
            return out;
        }
        for (int[] g : front) {
            for (int gene = 0; gene < g.length; gene++) {
                for (int option : enc.neighbours(gene, g[gene])) {
                    int[] m = g.clone();
                    m[gene] = option;
                    if (!taken.contains(Encoding.key(m))) out.putIfAbsent(Encoding.key(m), m);
                }
            }
        }
        for (int i = 0; i < RANDOM_CANDIDATES; i++) {
            int[] g = enc.random(random);
            if (!taken.contains(Encoding.key(g))) out.putIfAbsent(Encoding.key(g), g);
        }
        return out;
    }

    private Model fit(Encoding enc, List<TrialResult> usable, SearchHistory history) {
        GeneFeatures features = new GeneFeatures(enc);
        double baselineSize = baselineSize();
        double[][] x = new double[usable.size()][];
        double[][] y = new double[3][usable.size()];
        List<int[]> genomes = new ArrayList<>();
        List<Boolean> full = new ArrayList<>();
        for (int i = 0; i < usable.size(); i++) {
            TrialResult r = usable.get(i);
            int[] g = enc.decode(r.config());
            boolean isFull = SearchHistory.fullFidelity(r.fidelity(), r.config(), history.fidelityMax());
            x[i] = features.of(g, !isFull);
            double[] point = Objectives.point(r, history.goal(), baselineSize);
            y[ERROR][i] = Math.log(Math.max(0, point[0]) + 1);
            y[LATENCY][i] = Math.log(Math.max(1e-9, point[1]));
            y[SIZE][i] = Math.log(Math.max(1e-9, point[2]));
            genomes.add(g);
            full.add(isFull);
        }
        Model model = new Model(features, new Ridge(x, y, LAMBDA));
        // the frontier as it stands: measured where known at full fidelity, predicted otherwise
        Map<String, double[]> points = new LinkedHashMap<>();
        Map<String, int[]> byKey = new LinkedHashMap<>();
        for (int i = 0; i < genomes.size(); i++) {
            String key = Encoding.key(genomes.get(i));
            byKey.put(key, genomes.get(i));
            if (full.get(i)) {
                double[] p = Objectives.point(usable.get(i), history.goal(), baselineSize);
                points.put(key, new double[] {p[0] / 100, p[1], p[2]});
            } else {
                points.putIfAbsent(key, model.predict(genomes.get(i)));
            }
        }
        List<double[]> all = new ArrayList<>(points.values());
        List<int[]> keys = new ArrayList<>(byKey.values());
        List<double[]> front = new ArrayList<>();
        List<int[]> frontGenomes = new ArrayList<>();
        for (int i : Pareto.nonDominated(all)) {
            front.add(all.get(i));
            frontGenomes.add(keys.get(i));
        }
        return model.withFront(front, frontGenomes);
    }

    /** The fitted models and the current (partly predicted) frontier in hypervolume units. */
    private record Model(GeneFeatures features, Ridge ridge, List<double[]> front, List<int[]> frontGenomes) {
        Model(GeneFeatures features, Ridge ridge) {
            this(features, ridge, List.of(), List.of());
        }

        Model withFront(List<double[]> front, List<int[]> genomes) {
            return new Model(features, ridge, front, genomes);
        }

        /**
         * A candidate as {@code best} weighs it: its point {@link #OPTIMISM} sds better on error and
         * latency, and how little the models know about it (the sum of those two sds). Both sds share
         * one leverage, the costly part, computed once per candidate.
         */
        record Scored(double[] point, double spread) {
        }

        Scored score(int[] g) {
            double[] x = features.of(g, false);
            double leverage = ridge.leverage(x);
            double sdError = ridge.sd(ERROR, leverage);
            double sdLatency = ridge.sd(LATENCY, leverage);
            return new Scored(point(x, OPTIMISM * sdError, OPTIMISM * sdLatency), sdError + sdLatency);
        }

        /** Predicted full-fidelity point (error/100, latency/target, size/baseline): the models' means. */
        double[] predict(int[] g) {
            return point(features.of(g, false), 0, 0);
        }

        /** The point with error and latency taken {@code errorMargin} / {@code latencyMargin} better (log scale). */
        private double[] point(double[] x, double errorMargin, double latencyMargin) {
            double error = Math.exp(ridge.mean(ERROR, x) - errorMargin) - 1;
            double latency = Math.exp(ridge.mean(LATENCY, x) - latencyMargin);
            double size = Math.exp(ridge.mean(SIZE, x));
            return new double[] {Math.min(100, Math.max(0, error)) / 100, latency, size};
        }
    }
}
