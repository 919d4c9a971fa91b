package dev.frontier.coordinator.search.bench;

import dev.frontier.coordinator.api.model.CompressionConfig;

import dev.frontier.coordinator.goal.Goal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.frontier.coordinator.pareto.HypervolumeReference;
import dev.frontier.coordinator.pareto.Pareto;
import dev.frontier.coordinator.search.Proposal;
import dev.frontier.coordinator.search.SearchHistory;
import dev.frontier.coordinator.search.SearchSpace;
import dev.frontier.coordinator.search.SearchStrategy;
import dev.frontier.coordinator.search.Strategies;
import dev.frontier.coordinator.search.TrialResult;

/**
 * Runs a strategy as the coordinator does (trial 0 = dense baseline at fidelity 0, then rounds of
 * up to {@code inFlight} proposals, the strategy rebuilt from its seed and the history each round,
 * multi-fidelity via {@link Strategies#forJob}) against an {@link Oracle} instead of workers, and
 * records the hypervolume of the full-fidelity results after every trial, computed as the
 * frontier endpoint does (error/100, latency/target, size/baseline size; reference 1, 2, 1).
 */
public final class Replay {
    static final UUID DEVICE = new UUID(0, 1);
    static final double[] REFERENCE = HypervolumeReference.point();

    public record Settings(SearchSpace space, double latencyTargetMs, double maxAccuracyDrop, int maxTrials, int inFlight,
            double fidelityMin, double fidelityMax) {
    }

    /** hypervolume[i] = after i+1 trials finished; trials = everything the strategy ran. */
    public record Run(double[] hypervolume, List<TrialResult> trials, List<SearchHistory.Proposed> proposed) {
        /** Trials needed to reach {@code level}, or -1 when never reached. */
        public int trialsTo(double level) {
            for (int i = 0; i < hypervolume.length; i++) if (hypervolume[i] >= level - 1e-12) return i + 1;
            return -1;
        }
    }

    private Replay() {
    }

    public static Run run(String strategy, long seed, Oracle oracle, Settings s) {
        List<TrialResult> results = new ArrayList<>();
        List<SearchHistory.Proposed> proposed = new ArrayList<>();
        List<Double> hv = new ArrayList<>();
        Double baselineAccuracy = null;
        double baselineSize = 1;
        List<Proposal> round = List.of(new Proposal(new CompressionConfig(), 0.0));
        Oracle job = oracle.newRun();
        while (true) {
            for (Proposal p : round) {
                int seq = proposed.size();
                Oracle.Answer answer = job.answer(p.config(), p.fidelity());
                CompressionConfig config = answer.config();
                proposed.add(new SearchHistory.Proposed(seq, config, p.fidelity(), p.promotedFrom()));
                Oracle.Outcome o = answer.outcome();
                TrialResult r = o == null ? new TrialResult(seq, config, p.fidelity(), true, null, null, Map.of())
                        : new TrialResult(seq, config, p.fidelity(), false, o.accuracy(), o.sizeBytes(),
                                Map.of(DEVICE, o.latencyMs()), o.perLayerMs() == null ? Map.of() : Map.of(DEVICE, o.perLayerMs()));
                if (seq == 0 && o != null) {
                    baselineAccuracy = o.accuracy();
                    baselineSize = o.sizeBytes();
                }
                results.add(r);
                hv.add(hypervolume(results, s, baselineSize));
            }
            int left = s.maxTrials() - proposed.size();
            if (left <= 0) break;
            SearchStrategy strat = Strategies.forJob(strategy, seed, proposed.size());
            strat.observe(results);
            SearchHistory history = new SearchHistory(s.space(), s.fidelityMin(), s.fidelityMax(), proposed.size(), s.maxTrials(),
                    new Goal(s.latencyTargetMs(), s.maxAccuracyDrop(), baselineAccuracy), List.copyOf(results),
                    List.copyOf(proposed));
            round = strat.propose(history, Math.min(s.inFlight(), left));
            if (round.isEmpty()) break; // every trial is finished here, so empty means exhausted
        }
        return new Run(hv.stream().mapToDouble(Double::doubleValue).toArray(), results, proposed);
    }

    static double hypervolume(List<TrialResult> results, Settings s, double baselineSize) {
        List<double[]> points = new ArrayList<>();
        for (TrialResult r : results) {
            if (!r.usable() || !SearchHistory.fullFidelity(r.fidelity(), r.config(), s.fidelityMax())) continue;
            points.add(point(r.accuracy(), r.latencyMs().get(DEVICE), r.sizeBytes(), s, baselineSize));
        }
        List<double[]> front = Pareto.nonDominated(points).stream().map(points::get).toList();
        return Pareto.hypervolume3d(front, REFERENCE);
    }

    static double[] point(double accuracy, double latencyMs, Long sizeBytes, Settings s, double baselineSize) {
        return new double[] {(100 - accuracy) / 100, latencyMs / s.latencyTargetMs(),
                (sizeBytes == null ? Double.MAX_VALUE / 4 : sizeBytes) / baselineSize};
    }
}
