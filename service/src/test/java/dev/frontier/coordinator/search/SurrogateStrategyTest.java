package dev.frontier.coordinator.search;

import dev.frontier.coordinator.api.model.CompressionConfig;

import dev.frontier.coordinator.goal.Goal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.frontier.coordinator.search.bench.SyntheticProblem;

/** The surrogate on hand-made results: what it learns, what it proposes, and that it stays reproducible. */
class SurrogateStrategyTest {
    private static final UUID DEV = new UUID(0, 1);
    /** fc1 and fc2, each dense or block-pruned at four rates, float32 only: 25 points. */
    private static final SearchSpace SPACE = SearchSpaces.fromProfile(SyntheticProblem.PROFILE,
            new SearchSpaces.Narrowing(List.of("block", "none"), List.of(0.25, 0.5, 0.75, 0.9), List.of(0), List.of("fc1", "fc2")));
    private final Encoding enc = new Encoding(SPACE);

    /**
     * Hand-made, additive: every notch on either layer saves 1 ms of a 10 ms baseline; a notch on
     * fc1 costs 5 accuracy points, one on fc2 costs 0.1. Options are sorted lightest first, so the
     * option index is the number of notches.
     */
    private TrialResult result(int seq, int fc1, int fc2) {
        int[] g = {fc1, fc2, 0};
        double accuracy = 90 - 5 * fc1 - 0.1 * fc2;
        double latency = 10 - fc1 - fc2;
        long size = 1000 - 100L * (fc1 + fc2);
        return new TrialResult(seq, enc.config(g), 1, false, accuracy, size, Map.of(DEV, latency));
    }

    /** The baseline and every one-layer tightening: the one-factor-at-a-time cross, no combination. */
    private List<TrialResult> cross() {
        List<TrialResult> out = new ArrayList<>();
        out.add(new TrialResult(0, new CompressionConfig(), 0, false, 90.0, 1000L, Map.of(DEV, 10.0)));
        for (int k = 1; k <= 4; k++) out.add(result(out.size(), k, 0));
        for (int k = 1; k <= 4; k++) out.add(result(out.size(), 0, k));
        return out;
    }

    private static SearchHistory history(SearchSpace space, List<TrialResult> results) {
        List<SearchHistory.Proposed> proposed = results.stream()
                .map(r -> new SearchHistory.Proposed(r.seq(), r.config(), r.fidelity(), null)).toList();
        return new SearchHistory(space, 1, 1, results.size(), 100, new Goal(5, 10, 90.0), results, proposed);
    }

    private static List<Proposal> propose(long seed, SearchHistory h, int n) {
        SearchStrategy s = Strategies.create("surrogate", seed, h.proposedSoFar());
        s.observe(h.results());
        return s.propose(h, n);
    }

    @Test
    void combinesTheCheapLayerAtItsHeaviestWithTheOtherOnceItHasSeenEachLayerAlone() {
        assertThat(enc.size()).isEqualTo(25);
        // seeds whose first draw is not an exploration step (10 % of draws are random by design)
        int guided = 0;
        for (long seed = 1; seed <= 10; seed++) {
            List<Proposal> next = propose(seed, history(SPACE, cross()), 1);
            int[] g = enc.decode(next.get(0).config());
            assertThat(g[0]).as("a combination, never seen before").isPositive();
            if (g[1] == 4) guided++;
        }
        // fc2 is nearly free: the additive models say every good combination has it at its heaviest
        assertThat(guided).isGreaterThanOrEqualTo(8);
    }

    @Test
    void aBatchSpreadsInsteadOfRepeatingThePredictedBest() {
        List<Proposal> batch = propose(3, history(SPACE, cross()), 4);
        Set<String> keys = new HashSet<>();
        for (Proposal p : batch) keys.add(Encoding.key(enc.decode(p.config())));
        assertThat(keys).hasSize(4);
        for (TrialResult r : cross()) assertThat(keys).doesNotContain(Encoding.key(enc.decode(r.config())));
    }

    @Test
    void sameSeedAndHistorySameProposals() {
        SearchHistory h = history(SPACE, cross());
        assertThat(propose(7, h, 4)).isEqualTo(propose(7, h, 4));
    }

    @Test
    void randomUntilItHasEnoughResultsThenNeverRepeatsAPointOrAFailure() {
        List<TrialResult> few = cross().subList(0, 3);
        assertThat(few.size()).isLessThan(SurrogateStrategy.minObservations(enc));
        List<Proposal> early = propose(5, history(SPACE, few), 5);
        assertThat(early).hasSize(5);

        List<TrialResult> results = new ArrayList<>(cross());
        int[] broken = {4, 4, 0};
        results.add(new TrialResult(results.size(), enc.config(broken), 1, true, null, null, Map.of()));
        List<Proposal> all = propose(5, history(SPACE, results), 30);
        // 25 points, 10 already run: exactly the 15 others, each once, each a point of the space
        assertThat(all).hasSize(15);
        Set<String> seen = new HashSet<>();
        for (TrialResult r : results) seen.add(Encoding.key(enc.decode(r.config())));
        for (Proposal p : all) {
            int[] g = enc.decode(p.config());
            assertThat(seen.add(Encoding.key(g))).as("fresh %s", p.config()).isTrue();
            assertThat(enc.config(g)).isEqualTo(p.config());
        }
    }

    @Test
    void promotesTheLowFidelityResultsWhoseFullRunIsPredictedToAddMostNotTheBestLowFidelityPoints() {
        List<TrialResult> results = new ArrayList<>(cross());
        // after a short fine-tune every combination reads 50 %: the low-fidelity points rank only by latency and size
        int[][] combos = {{2, 2}, {4, 4}, {1, 4}};
        for (int[] c : combos) {
            TrialResult full = result(results.size(), c[0], c[1]);
            results.add(new TrialResult(full.seq(), full.config(), 0.25, false, 50.0, full.sizeBytes(), full.latencyMs()));
        }
        List<SearchHistory.Proposed> proposed = results.stream()
                .map(r -> new SearchHistory.Proposed(r.seq(), r.config(), r.fidelity(), null)).toList();
        SearchHistory h = new SearchHistory(SPACE, 0.25, 1, results.size(), 100, new Goal(5, 10, 90.0), results, proposed);
        List<TrialResult> low = results.subList(results.size() - 3, results.size());

        SearchStrategy surrogate = Strategies.create("surrogate", 1, h.proposedSoFar());
        surrogate.observe(results);
        List<TrialResult> order = surrogate.promotionOrder(h, low);
        assertThat(order).containsExactlyInAnyOrderElementsOf(low);
        // {2,2} at full fidelity: 79.8 %, 6 ms, the size of {0,4} (89.6 %, 6 ms, measured): nothing to add
        assertThat(enc.decode(order.get(2).config())).containsExactly(2, 2, 0);

        SearchStrategy random = Strategies.create("random", 1, h.proposedSoFar());
        assertThat(random.promotionOrder(h, low)).isEqualTo(low);
    }

    @Test
    void ridgeRecoversAnAdditiveEffectItNeverSawInCombination() {
        GeneFeatures f = new GeneFeatures(enc);
        List<TrialResult> cross = cross();
        double[][] x = new double[cross.size()][];
        double[][] y = new double[1][cross.size()];
        for (int i = 0; i < cross.size(); i++) {
            x[i] = f.of(enc.decode(cross.get(i).config()), false);
            y[0][i] = cross.get(i).latencyMs().get(DEV);
        }
        Ridge ridge = new Ridge(x, y, 1.0);
        double both = ridge.mean(0, f.of(new int[] {2, 3, 0}, false));
        double one = ridge.mean(0, f.of(new int[] {2, 0, 0}, false));
        // truth: 5 ms and 8 ms; the penalty shrinks effects a little, the order and rough size must hold
        assertThat(both).isBetween(4.0, 6.5);
        assertThat(one).isBetween(7.0, 9.0);
        // never measured together: less certain than a measured point
        assertThat(ridge.sd(0, f.of(new int[] {2, 3, 0}, false))).isGreaterThan(ridge.sd(0, f.of(new int[] {2, 0, 0}, false)));
    }
}
