package dev.frontier.coordinator.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The profile's per-layer sensitivity keeps obviously destructive choices out of the space. */
class SensitivityCapsTest {
    private static Map<String, Object> profile() {
        Map<String, Object> conv = Map.of("name", "conv2", "op", "conv2d", "kernel", List.of(3, 3),
                "prunable", List.of("pattern", "connectivity", "filter"),
                "sensitivity", Map.of(
                        "filter", Map.of("0.50", 88.0, "0.75", 61.0, "0.90", 30.0),
                        "pattern", Map.of("0.00", 91.0, "0.50", 85.0, "0.75", 70.5),
                        "connectivity", Map.of("0.50", 90.0, "0.75", 89.0, "0.90", 80.0)));
        return Map.of("layers", List.of(conv), "sensitivity", Map.of("baselineAccuracy", 92.0));
    }

    @Test
    void optionsAtOrAboveTheFirstDestructiveProbeAreDropped() {
        // destructive: more than 20 points under 92, i.e. below 72
        SearchSpace space = SearchSpaces.fromProfile(dev.frontier.coordinator.support.TestProfiles.typed(profile()), null, 20);
        Encoding enc = new Encoding(space);
        List<Encoding.Option> options = enc.options(0);
        assertThat(options).filteredOn(o -> o.scheme().equals("filter")).extracting(Encoding.Option::rate)
                .containsExactly(0.25, 0.4, 0.5, 0.6);
        assertThat(options).filteredOn(o -> o.scheme().equals("pattern")).extracting(Encoding.Option::connectivity)
                .doesNotContain(0.75).contains(0.0, 0.5);
        assertThat(options).filteredOn(o -> o.scheme().equals("connectivity")).extracting(Encoding.Option::rate)
                .contains(0.9);
    }

    @Test
    void noCapWithoutASensitivityProfileOrDrop() {
        assertThat(new Encoding(SearchSpaces.fromProfile(dev.frontier.coordinator.support.TestProfiles.typed(profile()), null)).options(0))
                .filteredOn(o -> o.scheme().equals("filter")).hasSize(SearchSpaces.DEFAULT_RATES.size());
        Map<String, Object> plain = Map.of("layers", List.of(Map.of("name", "conv2", "op", "conv2d", "kernel", List.of(3, 3),
                "prunable", List.of("filter"))));
        assertThat(new Encoding(SearchSpaces.fromProfile(dev.frontier.coordinator.support.TestProfiles.typed(plain), null, 20)).options(0))
                .filteredOn(o -> o.scheme().equals("filter")).hasSize(SearchSpaces.DEFAULT_RATES.size());
    }
}
