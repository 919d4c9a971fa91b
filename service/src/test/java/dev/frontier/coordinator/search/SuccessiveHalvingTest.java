package dev.frontier.coordinator.search;

import dev.frontier.coordinator.api.model.CompressionConfig;

import dev.frontier.coordinator.goal.Goal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.frontier.coordinator.search.bench.Replay;
import dev.frontier.coordinator.search.bench.SyntheticProblem;

import static org.assertj.core.api.Assertions.assertThat;

class SuccessiveHalvingTest {
    private static final UUID DEV = new UUID(0, 1);
    private static final SearchSpace SPACE = SyntheticProblem.space();

    /** Low-fidelity result i: accuracy falls and latency rises with i, so lower i dominates. */
    private static TrialResult low(int seq, double accuracy, double latency) {
        return new TrialResult(seq, config(seq), 0.25, false, accuracy, 1000L, Map.of(DEV, latency));
    }

    private static CompressionConfig config(int seq) {
        return new Encoding(SPACE).config(new Encoding(SPACE).fromIndex(seq * 7919L));
    }

    private static SearchHistory history(List<TrialResult> results, List<SearchHistory.Proposed> extra, int maxTrials) {
        List<SearchHistory.Proposed> proposed = new ArrayList<>();
        proposed.add(new SearchHistory.Proposed(0, new CompressionConfig(), 0, null));
        for (TrialResult r : results) if (r.seq() > 0) proposed.add(new SearchHistory.Proposed(r.seq(), r.config(), r.fidelity(), null));
        proposed.addAll(extra);
        return new SearchHistory(SPACE, 0.25, 1, proposed.size(), maxTrials, new Goal(10, 2, 90.0), results, proposed);
    }

    @Test
    void promotesTheTopThirdOfFinishedLowFidelityTrials() {
        List<TrialResult> results = new ArrayList<>();
        results.add(new TrialResult(0, new CompressionConfig(), 0, false, 90.0, 1000L, Map.of(DEV, 20.0)));
        for (int i = 1; i <= 6; i++) results.add(low(i, 90 - i, 5 + i)); // a chain: 1 dominates 2 dominates ...
        List<Proposal> out = Strategies.forJob("random", 1, 7).propose(history(results, List.of(), 100), 4);
        List<Proposal> promotions = out.stream().filter(p -> p.promotedFrom() != null).toList();
        assertThat(promotions).extracting(Proposal::promotedFrom).containsExactly(1, 2); // 6 finished / eta 3 = 2
        assertThat(promotions).allSatisfy(p -> assertThat(p.fidelity()).isEqualTo(1.0));
        assertThat(promotions.get(0).config()).isEqualTo(config(1));
        assertThat(out.stream().filter(p -> p.promotedFrom() == null)).allSatisfy(p -> assertThat(p.fidelity()).isEqualTo(0.25));
    }

    @Test
    void neverPromotesTwiceAndSkipsFailures() {
        List<TrialResult> results = new ArrayList<>();
        results.add(new TrialResult(1, config(1), 0.25, true, null, null, Map.of()));
        for (int i = 2; i <= 7; i++) results.add(low(i, 90 - i, 5 + i));
        List<SearchHistory.Proposed> promoted = List.of(new SearchHistory.Proposed(8, config(2), 1, 2));
        List<Proposal> out = Strategies.forJob("random", 1, 9).propose(history(results, promoted, 100), 4);
        // 6 usable results earn 2 promotions: 2 (already promoted) and 3
        assertThat(out.stream().filter(p -> p.promotedFrom() != null)).extracting(Proposal::promotedFrom).containsExactly(3);
    }

    @Test
    void holdsBudgetBackForPromotionsAndEndsAtFullFidelity() {
        Replay.Run run = Replay.run("nsga2", 4, new SyntheticProblem(),
                new Replay.Settings(SPACE, 10, 2, 40, 4, 0.25, 1));
        assertThat(run.proposed()).hasSize(40);
        long low = run.proposed().stream().filter(p -> p.seq() > 0 && p.fidelity() < 1).count();
        long promoted = run.proposed().stream().filter(p -> p.promotedFrom() != null).count();
        assertThat(promoted).isGreaterThanOrEqualTo((low + 2) / 3);
        run.proposed().stream().filter(p -> p.promotedFrom() != null).forEach(p -> {
            SearchHistory.Proposed parent = run.proposed().get(p.promotedFrom());
            assertThat(parent.config()).isEqualTo(p.config());
            assertThat(parent.fidelity()).isEqualTo(0.25);
            assertThat(p.fidelity()).isEqualTo(1.0);
        });
        assertThat(run.hypervolume()[39]).isPositive();
    }

    @Test
    void singleFidelityPassesThrough() {
        SearchHistory h = new SearchHistory(SPACE, 1, 1, 1, 100, Goal.NONE, List.of(),
                List.of(new SearchHistory.Proposed(0, new CompressionConfig(), 0, null)));
        assertThat(Strategies.forJob("nsga2", 3, 1).propose(h, 3)).hasSize(3)
                .allSatisfy(p -> {
                    assertThat(p.fidelity()).isEqualTo(1.0);
                    assertThat(p.promotedFrom()).isNull();
                });
    }
}
