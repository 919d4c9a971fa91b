package dev.frontier.coordinator.search;

import dev.frontier.coordinator.api.model.CompressionConfig;
import dev.frontier.coordinator.support.TestConfigs;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RandomStrategyTest {
    private static final dev.frontier.coordinator.api.model.ModelProfile PROFILE = dev.frontier.coordinator.support.TestProfiles.profile(Map.of("layers", List.of(
            Map.of("name", "conv1", "op", "conv2d", "kernel", List.of(3, 3), "prunable", List.of("pattern", "connectivity", "filter", "unstructured", "block")),
            Map.of("name", "conv2", "op", "conv2d", "kernel", List.of(1, 1), "prunable", List.of("connectivity", "filter", "unstructured", "block")),
            Map.of("name", "fc1", "op", "linear", "prunable", List.of("block", "filter", "unstructured")),
            Map.of("name", "relu", "op", "relu"),
            Map.of("name", "fc2", "op", "linear", "prunable", List.of("unstructured")))));

    private static SearchHistory history(SearchSpace space) {
        return SearchHistory.empty(space, 0.25, 2.0);
    }

    @Test
    void spaceComesFromTheProfile() {
        SearchSpace space = SearchSpaces.fromProfile(PROFILE, null);
        Map<String, List<String>> byName = new java.util.HashMap<>();
        space.layers().forEach(l -> byName.put(l.name(), l.schemes()));
        assertThat(byName).containsOnlyKeys("conv1", "conv2", "fc1", "fc2");
        assertThat(byName.get("conv1")).contains("pattern", "connectivity", "none");
        assertThat(byName.get("conv2")).doesNotContain("pattern");
        assertThat(byName.get("fc1")).contains("block").doesNotContain("pattern");
        assertThat(byName.get("fc2")).containsExactly("unstructured", "none");
    }

    @Test
    void narrowingOnlyShrinksTheSpace() {
        SearchSpace space = SearchSpaces.fromProfile(PROFILE,
                new SearchSpaces.Narrowing(List.of("pattern", "block"), List.of(0.5), List.of(8), List.of("conv1", "fc1")));
        assertThat(space.layers()).extracting(SearchSpace.LayerChoice::name).containsExactly("conv1", "fc1");
        assertThat(space.layers().get(0).schemes()).containsExactly("pattern", "block");
        assertThat(space.rates()).containsExactly(0.5);
        assertThat(space.quantizeBits()).containsExactly(8);
    }

    @Test
    void sameSeedSameProposalsAndConfigsFollowTheContract() {
        SearchSpace space = SearchSpaces.fromProfile(PROFILE, null);
        List<Proposal> a = Strategies.create("random", 42, 1).propose(history(space), 20);
        List<Proposal> b = Strategies.create("random", 42, 1).propose(history(space), 20);
        List<Proposal> c = Strategies.create("random", 43, 1).propose(history(space), 20);
        assertThat(a).isEqualTo(b).isNotEqualTo(c).hasSize(20);
        Set<CompressionConfig> distinct = new HashSet<>();
        for (Proposal p : a) {
            assertThat(distinct.add(p.config())).as("no duplicate proposals").isTrue();
            assertThat(p.fidelity()).isEqualTo(2.0);
            TestConfigs.layers(p.config()).forEach((name, settings) -> {
                var prune = settings.getPrune();
                String scheme = prune.getScheme().getValue();
                if (scheme.equals("pattern")) {
                    assertThat(name).isEqualTo("conv1");
                    assertThat(prune.getPatterns()).isBetween(4, 8);
                    if (prune.getConnectivity() != null) assertThat(prune.getConnectivity()).isGreaterThan(0).isLessThan(1);
                } else {
                    assertThat(prune.getRate()).isGreaterThan(0).isLessThan(1);
                }
            });
        }
    }

    @Test
    void stopsWhenTheSpaceIsExhausted() {
        SearchSpace tiny = SearchSpaces.fromProfile(dev.frontier.coordinator.support.TestProfiles.typed(Map.of("layers", List.of(Map.of("name", "fc", "op", "linear", "prunable", List.of("unstructured"))))),
                new SearchSpaces.Narrowing(null, List.of(0.5), List.of(0), null));
        // {} (none), and unstructured 0.5: two distinct configs at most
        List<Proposal> out = Strategies.create("random", 1, 0).propose(history(tiny), 10);
        assertThat(out).hasSizeLessThanOrEqualTo(2);
    }
}
