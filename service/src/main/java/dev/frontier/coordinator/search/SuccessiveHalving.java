package dev.frontier.coordinator.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import dev.frontier.coordinator.pareto.Pareto;

/**
 * Multi-fidelity around any strategy: asynchronous successive halving (ASHA) with two rungs. New
 * configurations run at {@code fidelityMin}; a finished low-fidelity trial is promoted (re-run as a
 * new trial at {@code fidelityMax}, linked by {@code promotedFrom}) as soon as it ranks in the top
 * 1/eta of the finished low-fidelity trials, ranked by constraint domination and crowding. Enough
 * budget is held back for the promotions the low-fidelity trials will earn, and once no new
 * low-fidelity trial fits the budget, the best remaining ones are promoted anyway so the budget
 * ends in full-fidelity results. With fidelityMin == fidelityMax, or a budget under {@link #MIN_TRIALS}, it
 * passes the base through (full fidelity).
 */
public class SuccessiveHalving implements SearchStrategy {
    static final int ETA = 3;
    /** Below this budget halving leaves too few full-fidelity results to be worth it: everything runs at full fidelity. */
    static final int MIN_TRIALS = 10;
    private final SearchStrategy base;

    public SuccessiveHalving(SearchStrategy base) {
        this.base = base;
    }

    @Override
    public void observe(List<TrialResult> results) {
        base.observe(results);
    }

    @Override
    public List<Proposal> propose(SearchHistory history, int n) {
        if (!history.multiFidelity() || history.maxTrials() < MIN_TRIALS) return base.propose(history, n);
        List<Proposal> out = new ArrayList<>();
        Set<Integer> promoted = history.proposed().stream().map(SearchHistory.Proposed::promotedFrom)
                .filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        List<SearchHistory.Proposed> low = history.proposed().stream().filter(p -> p.promotedFrom() == null && !isFull(p, history)).toList();
        Set<Integer> finished = history.results().stream().map(TrialResult::seq).collect(Collectors.toSet());
        boolean lowPending = low.stream().anyMatch(p -> !finished.contains(p.seq()));

        List<TrialResult> ranked = base.promotionOrder(history, rankLow(history));
        int earned = ranked.size() / ETA;
        for (int i = 0; i < Math.min(earned, ranked.size()) && out.size() < n; i++) {
            TrialResult r = ranked.get(i);
            if (promoted.add(r.seq())) out.add(new Proposal(r.config(), history.fidelityMax(), r.seq()));
        }

        int left = history.maxTrials() - history.proposedSoFar() - out.size();
        int fresh = 0;
        while (out.size() + fresh < n && left - fresh - 1 >= owed(low.size() + fresh + 1, promoted.size())) fresh++;
        int got = 0;
        if (fresh > 0) {
            for (Proposal p : base.propose(history, fresh)) {
                out.add(new Proposal(p.config(), history.fidelityMin()));
                got++;
            }
        }
        left -= got;
        if (got < fresh || fresh == 0) {
            // no new configuration fits the budget, or the space is exhausted: once the low-fidelity
            // results are all in, promote the best of the rest so the budget ends at full fidelity
            if (!lowPending) {
                for (TrialResult r : ranked) {
                    if (out.size() >= n || left <= 0) break;
                    if (promoted.add(r.seq())) {
                        out.add(new Proposal(r.config(), history.fidelityMax(), r.seq()));
                        left--;
                    }
                }
            }
        }
        return out;
    }

    private static boolean isFull(SearchHistory.Proposed p, SearchHistory h) {
        return SearchHistory.fullFidelity(p.fidelity(), p.config(), h.fidelityMax());
    }

    /** This job's finished low-fidelity results, best first. */
    static List<TrialResult> rankLow(SearchHistory history) {
        List<TrialResult> low = history.results().stream()
                .filter(r -> r.usable() && !SearchHistory.fullFidelity(r.fidelity(), r.config(), history.fidelityMax()))
                .sorted(Comparator.comparingInt(TrialResult::seq)).toList();
        double baselineSize = history.results().stream().filter(r -> Configs.isDense(r.config()))
                .map(TrialResult::sizeBytes).filter(java.util.Objects::nonNull).mapToDouble(Long::doubleValue).findFirst().orElse(1);
        List<double[]> points = low.stream().map(r -> Objectives.point(r, history.goal(), baselineSize)).toList();
        double[] violations = low.stream().mapToDouble(r -> Objectives.violation(r, history.goal())).toArray();
        List<TrialResult> out = new ArrayList<>();
        for (int i : Pareto.crowdedOrder(points, violations)) out.add(low.get(i));
        return out;
    }

    /** Promotions still to come once {@code lowCount} low-fidelity trials have run. */
    private static int owed(int lowCount, int promotedSoFar) {
        return Math.max(0, (lowCount + ETA - 1) / ETA - promotedSoFar);
    }
}
