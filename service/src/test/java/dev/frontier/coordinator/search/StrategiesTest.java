package dev.frontier.coordinator.search;

import dev.frontier.coordinator.api.model.CompressionConfig;

import dev.frontier.coordinator.goal.Goal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.frontier.coordinator.search.bench.Replay;
import dev.frontier.coordinator.search.bench.SyntheticProblem;

import static org.assertj.core.api.Assertions.assertThat;

/** Every strategy against the SYNTHETIC test fixture {@link SyntheticProblem} (not measured data). */
class StrategiesTest {
    private static final UUID DEV = new UUID(0, 1);
    private final SyntheticProblem problem = new SyntheticProblem();

    private Replay.Settings settings(double targetFraction, int maxTrials, double fMin, double fMax) {
        return new Replay.Settings(SyntheticProblem.space(), problem.baselineLatency() * targetFraction, 2.0, maxTrials, 4, fMin, fMax);
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "grid", "nsga2", "greedy", "surrogate"})
    void sameSeedAndHistorySameProposals(String name) {
        Replay.Run a = Replay.run(name, 11, problem, settings(0.5, 40, 0.25, 1));
        Replay.Run b = Replay.run(name, 11, problem, settings(0.5, 40, 0.25, 1));
        assertThat(a.proposed()).hasSize(40);
        assertThat(a.proposed()).isEqualTo(b.proposed());
        // and one call on a history with results is a pure function of seed and history
        SearchHistory h = new SearchHistory(SyntheticProblem.space(), 1, 1, 40, 100, new Goal(10, 2, 90.0),
                a.trials(), a.proposed());
        List<Proposal> p1 = strategy(name, 5, h);
        List<Proposal> p2 = strategy(name, 5, h);
        assertThat(p1).isEqualTo(p2);
        Set<String> before = new HashSet<>();
        Encoding enc = new Encoding(SyntheticProblem.space());
        a.proposed().forEach(p -> before.add(Encoding.key(enc.decode(p.config()))));
        if (!name.equals("random")) {
            for (Proposal p : p1) assertThat(before).as("no repeats").doesNotContain(Encoding.key(enc.decode(p.config())));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grid", "nsga2", "surrogate"})
    void differentSeedsDiffer(String name) {
        assertThat(Replay.run(name, 1, problem, settings(0.5, 30, 1, 1)).proposed())
                .isNotEqualTo(Replay.run(name, 2, problem, settings(0.5, 30, 1, 1)).proposed());
    }

    private static List<Proposal> strategy(String name, int n, SearchHistory h) {
        SearchStrategy s = Strategies.create(name, 99, h.proposedSoFar());
        s.observe(h.results());
        return s.propose(h, n);
    }

    @Test
    void encodingRoundTripsEveryGridPoint() {
        Encoding enc = new Encoding(SyntheticProblem.space());
        assertThat(enc.size()).isPositive();
        for (long i = 0; i < enc.size(); i += Math.max(1, enc.size() / 997)) {
            int[] g = enc.fromIndex(i);
            assertThat(enc.decode(enc.config(g))).isEqualTo(g);
        }
        assertThat(Configs.isDense(enc.config(enc.lightest()))).isTrue();
    }

    @Test
    void gridVisitsEverythingOnceOnASmallSpace() {
        SearchSpace small = SearchSpaces.fromProfile(SyntheticProblem.PROFILE,
                new SearchSpaces.Narrowing(List.of("block", "none"), List.of(0.5, 0.75), List.of(0, 8), List.of("fc1", "fc2")));
        Encoding enc = new Encoding(small);
        assertThat(enc.size()).isEqualTo(3 * 3 * 2);
        Replay.Run run = Replay.run("grid", 3, problem, new Replay.Settings(small, 5, 2, 100, 4, 1, 1));
        // the baseline {} is trial 0; the grid then proposes the 17 other points and stops
        assertThat(run.proposed()).hasSize(18);
        assertThat(run.proposed().stream().map(p -> Encoding.key(enc.decode(p.config()))).distinct().count()).isEqualTo(18);
    }

    @Test
    void greedyReachesTheTargetOnAMonotoneProblemByTighteningTheBestLayerFirst() {
        Replay.Settings s = settings(0.45, 80, 1, 1);
        Replay.Run run = Replay.run("greedy", 5, problem, s);
        TrialResult met = run.trials().stream().filter(r -> r.usable() && r.latencyMs().get(DEV) <= s.latencyTargetMs())
                .findFirst().orElseThrow();
        assertThat(met.seq()).isLessThan(60);
        // the first step tightens one layer by one notch from the baseline
        Map<?, ?> first = dev.frontier.coordinator.support.TestConfigs.layers(run.proposed().get(1).config());
        assertThat(first.size() + (run.proposed().get(1).config().getDefault() != null ? 1 : 0)).isEqualTo(1);
        // after the target: keeps exploring (never stops at the first feasible point)
        assertThat(run.proposed()).hasSize(80);
    }

    @Test
    void greedyUsesPerLayerLatencyWhenReported() {
        // two candidates with the same whole-model gain: the one whose own layer got faster wins
        SearchSpace space = SearchSpaces.fromProfile(SyntheticProblem.PROFILE,
                new SearchSpaces.Narrowing(List.of("block", "none"), List.of(0.5, 0.75), List.of(0), List.of("fc1", "fc2")));
        Encoding enc = new Encoding(space);
        int[] a = enc.lightest();
        a[0] = enc.tighter(0, 0).get(0);
        int[] b = enc.lightest();
        b[1] = enc.tighter(1, 0).get(0);
        List<TrialResult> results = new ArrayList<>();
        results.add(new TrialResult(0, new CompressionConfig(), 0, false, 90.0, 1000L, Map.of(DEV, 10.0), Map.of(DEV, Map.of("fc1", 5.0, "fc2", 5.0))));
        results.add(new TrialResult(1, enc.config(a), 1, false, 89.0, 900L, Map.of(DEV, 8.0), Map.of(DEV, Map.of("fc1", 4.5, "fc2", 5.0))));
        results.add(new TrialResult(2, enc.config(b), 1, false, 89.0, 900L, Map.of(DEV, 8.0), Map.of(DEV, Map.of("fc1", 5.0, "fc2", 3.0))));
        List<SearchHistory.Proposed> proposed = results.stream().map(r -> new SearchHistory.Proposed(r.seq(), r.config(), r.fidelity(), null)).toList();
        SearchHistory h = new SearchHistory(space, 1, 1, 3, 100, new Goal(5, 2, 90.0), results, proposed);
        List<Proposal> next = strategy("greedy", 10, h);
        // every next candidate is b (fc2 tightened) with one more gene tightened
        for (Proposal p : next) {
            int[] g = enc.decode(p.config());
            int changed = 0;
            for (int i = 0; i < g.length; i++) if (g[i] != b[i]) changed++;
            assertThat(changed).as(p.config().toString()).isEqualTo(1);
        }
        assertThat(next).isNotEmpty();
    }

    @Test
    void nsga2BeatsItsOwnRandomStartOnTheFixture() {
        Replay.Settings s = settings(0.5, 60, 1, 1);
        double nsga = 0;
        double random = 0;
        for (long seed = 1; seed <= 3; seed++) {
            nsga += Replay.run("nsga2", seed, problem, s).hypervolume()[59];
            random += Replay.run("random", seed, problem, s).hypervolume()[59];
        }
        assertThat(nsga).isPositive();
        assertThat(random).isPositive();
    }
}
