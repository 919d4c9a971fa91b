package dev.frontier.coordinator.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import dev.frontier.coordinator.pareto.HypervolumeReference;
import dev.frontier.coordinator.pareto.Pareto;

/**
 * Model-based search. Additive models over the per-layer genes ({@link GeneFeatures}, fitted by
 * {@link Ridge} on every usable result so far, both fidelities) predict log error and log size;
 * latency (as a multiple of the target) comes from the per-layer times the agents report, one model
 * per layer summed ({@link LayerLatencyModel}), or from a whole-model additive model when an agent
 * reports none. Candidates (the whole space when it is small, else
 * random points plus one-notch neighbours of the current front) are scored by how much they would
 * add to the hypervolume of the predicted full-fidelity frontier, judged optimistically (one
 * standard deviation better on error and latency), so options the models know little about
 * still get tried. The best are proposed one by one, each added to the frontier at its predicted
 * value before the next is chosen, so a batch spreads. A share of proposals stays uniformly random,
 * and until the models have enough results everything is random.
 *
 * Under multi-fidelity the same models also choose which low-fidelity results are promoted
 * ({@link #promotionOrder}).
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
    /** Promotion candidates ordered by the models; a job promotes a third of its low-fidelity trials, a few per round. */
    private static final int PROMOTION_PICKS = 16;
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
        Map<String, Model.Scored> scores = new java.util.HashMap<>(); // the models stay fixed for the whole batch
        List<Proposal> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] g = null;
            boolean explore = random.nextDouble() < EXPLORE;
            if (model != null && !explore) g = best(model, candidates, scores, front);
            if (g == null) g = freshRandom(enc, taken);
            if (g == null) break;
            String key = Encoding.key(g);
            taken.add(key);
            candidates.remove(key);
            if (model != null) {
                // believe the prediction until the result is in, so the next pick goes elsewhere
                front = grown(front, model.predict(g));
            }
            out.add(proposal(enc, g, history));
        }
        return out;
    }

    /**
     * Low-fidelity results ordered by what their full-fidelity run is predicted to add to the
     * frontier (optimistically, as proposals are chosen; each pick joins the frontier before the
     * next), rather than by their low-fidelity points: after a short fine-tune accuracy says little
     * (often 10-40 %), while the models also know the layers' latency and size effects and how much
     * each option recovers with fine-tuning. The rest keep the given order.
     */
    @Override
    public List<TrialResult> promotionOrder(SearchHistory history, List<TrialResult> ranked) {
        Encoding enc = new Encoding(history.space());
        List<TrialResult> usable = observed().stream().filter(TrialResult::usable).toList();
        if (ranked.size() < 2 || usable.size() < minObservations(enc)) return ranked;
        Model model = fit(enc, usable, history);
        // against what full fidelity has measured: the model's own front counts every low-fidelity
        // result at its prediction already, so there a candidate would add only its optimism
        List<double[]> front = measuredFront(usable, history);
        Map<String, int[]> candidates = new LinkedHashMap<>();
        Map<String, TrialResult> byKey = new LinkedHashMap<>();
        for (TrialResult r : ranked) {
            int[] g = enc.decode(r.config());
            candidates.putIfAbsent(Encoding.key(g), g);
            byKey.putIfAbsent(Encoding.key(g), r);
        }
        Map<String, Model.Scored> scores = new java.util.HashMap<>();
        List<TrialResult> out = new ArrayList<>();
        for (int i = 0; i < PROMOTION_PICKS && !candidates.isEmpty(); i++) {
            int[] g = best(model, candidates, scores, front);
            String key = Encoding.key(g);
            candidates.remove(key);
            out.add(byKey.get(key));
            front = grown(front, model.predict(g));
        }
        for (TrialResult r : ranked) if (!out.contains(r)) out.add(r);
        return out;
    }

    private List<double[]> measuredFront(List<TrialResult> usable, SearchHistory history) {
        double baselineSize = baselineSize();
        List<double[]> points = new ArrayList<>();
        for (TrialResult r : usable) {
            if (SearchHistory.fullFidelity(r.fidelity(), r.config(), history.fidelityMax())) points.add(measured(r, history, baselineSize));
        }
        return Pareto.nonDominated(points).stream().map(points::get).toList();
    }

    /** The candidate with the largest optimistic hypervolume gain; ties go to the most uncertain one. */
    private static int[] best(Model model, Map<String, int[]> candidates, Map<String, Model.Scored> scores, List<double[]> front) {
        double[] ref = HypervolumeReference.point();
        double base = Pareto.hypervolume3d(front, ref);
        int[] best = null;
        double bestGain = -1;
        double bestSpread = -1;
        for (Map.Entry<String, int[]> c : candidates.entrySet()) {
            int[] g = c.getValue();
            Model.Scored s = scores.computeIfAbsent(c.getKey(), k -> model.score(g));
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

    /** The front with {@code p} added and what it dominates dropped. */
    private static List<double[]> grown(List<double[]> front, double[] p) {
        List<double[]> all = with(front, p);
        return Pareto.nonDominated(all).stream().map(all::get).toList();
    }

    /** A measured result in the hypervolume's units: error/100, latency/target, size/baseline. */
    private static double[] measured(TrialResult r, SearchHistory history, double baselineSize) {
        double[] p = Objectives.point(r, history.goal(), baselineSize);
        return new double[] {p[0] / 100, p[1], p[2]};
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
        Model model = new Model(features, new Ridge(x, y, LAMBDA), LayerLatencyModel.fit(enc, usable, history.goal()));
        // the frontier as it stands: measured where known at full fidelity, predicted otherwise
        Map<String, double[]> points = new LinkedHashMap<>();
        Map<String, int[]> byKey = new LinkedHashMap<>();
        for (int i = 0; i < genomes.size(); i++) {
            String key = Encoding.key(genomes.get(i));
            byKey.put(key, genomes.get(i));
            if (full.get(i)) {
                points.put(key, measured(usable.get(i), history, baselineSize));
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
    private record Model(GeneFeatures features, Ridge ridge, LayerLatencyModel layers, List<double[]> front, List<int[]> frontGenomes) {
        /** {@code layers} null: latency from the whole-model ridge (no per-layer times reported). */
        Model(GeneFeatures features, Ridge ridge, LayerLatencyModel layers) {
            this(features, ridge, layers, List.of(), List.of());
        }

        Model withFront(List<double[]> front, List<int[]> genomes) {
            return new Model(features, ridge, layers, front, genomes);
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
            LayerLatencyModel.Prediction latency = latency(g, x, leverage);
            double[] p = point(x, OPTIMISM * sdError, latency.logRatio() - OPTIMISM * latency.sd());
            return new Scored(p, sdError + latency.sd());
        }

        /** Predicted full-fidelity point (error/100, latency/target, size/baseline): the models' means. */
        double[] predict(int[] g) {
            double[] x = features.of(g, false);
            return point(x, 0, layers != null ? layers.predict(g).logRatio() : ridge.mean(LATENCY, x));
        }

        private LayerLatencyModel.Prediction latency(int[] g, double[] x, double leverage) {
            if (layers != null) return layers.predict(g);
            return new LayerLatencyModel.Prediction(ridge.mean(LATENCY, x), ridge.sd(LATENCY, leverage));
        }

        /** The point with error taken {@code errorMargin} better (log scale) and the given log latency ratio. */
        private double[] point(double[] x, double errorMargin, double logLatency) {
            double error = Math.exp(ridge.mean(ERROR, x) - errorMargin) - 1;
            double size = Math.exp(ridge.mean(SIZE, x));
            return new double[] {Math.min(100, Math.max(0, error)) / 100, Math.exp(logLatency), size};
        }
    }
}
