package dev.frontier.coordinator.search;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SearchSpaceValidationTest {
    private static final dev.frontier.coordinator.api.model.ModelProfile NO_3X3 = dev.frontier.coordinator.support.TestProfiles.profile(Map.of("layers", List.of(
            Map.of("name", "conv1", "op", "conv2d", "kernel", List.of(1, 1), "prunable", List.of("connectivity", "block", "filter", "unstructured"),
                    "unfit", Map.of("pattern", "conv1 is a 1x1 convolution; pattern pruning needs a 3x3 convolution")),
            Map.of("name", "relu", "op", "relu"),
            Map.of("name", "fc", "op", "linear", "prunable", List.of("block", "unstructured")))));

    private static SearchSpaces.Narrowing n(List<String> schemes, List<Double> rates, List<Integer> bits, List<String> layers) {
        return new SearchSpaces.Narrowing(schemes, rates, bits, layers);
    }

    @Test
    void withoutAProfileOnlyValuesAreChecked() {
        assertThat(SearchSpaces.problems(n(List.of("pattern"), null, null, List.of("whatever")), null)).isEmpty();
        assertThat(SearchSpaces.problems(n(null, List.of(0.5, 1.0), null, null), null))
                .extracting(SearchSpaces.Problem::field).containsExactly("searchSpace.rates[1]");
        assertThat(SearchSpaces.problems(n(null, List.of(0.0), null, null), null)).hasSize(1);
        assertThat(SearchSpaces.problems(n(null, null, List.of(8, 2), null), null))
                .extracting(SearchSpaces.Problem::field).containsExactly("searchSpace.quantizeBits[1]");
    }

    @Test
    void withAProfileLayersAndSchemesAreChecked() {
        var pattern = SearchSpaces.problems(n(List.of("block", "pattern"), null, null, null), NO_3X3);
        assertThat(pattern).extracting(SearchSpaces.Problem::field).containsExactly("searchSpace.schemes[1]");
        assertThat(pattern.get(0).message()).contains("3x3");
        assertThat(SearchSpaces.problems(n(null, null, null, List.of("fc", "fc9")), NO_3X3))
                .extracting(SearchSpaces.Problem::field).containsExactly("searchSpace.layers[1]");
        assertThat(SearchSpaces.problems(n(null, null, null, List.of("relu")), NO_3X3).get(0).message()).contains("no weights");
        // pattern fits the model but not the one searched layer
        dev.frontier.coordinator.api.model.ModelProfile with3x3 = dev.frontier.coordinator.support.TestProfiles.typed(Map.of("layers", List.of(Map.of("name", "c3", "op", "conv2d", "kernel", List.of(3, 3), "prunable", List.of("pattern", "connectivity", "block", "filter", "unstructured")),
                Map.of("name", "fc", "op", "linear", "prunable", List.of("block", "unstructured")))));
        assertThat(SearchSpaces.problems(n(List.of("pattern"), null, null, List.of("fc")), with3x3)).hasSize(1);
        assertThat(SearchSpaces.problems(n(List.of("pattern"), null, null, null), with3x3)).isEmpty();
    }

    @Test
    void anEmptySpaceIsAProblem() {
        assertThat(SearchSpaces.problems(n(List.of("none"), null, List.of(0), null), NO_3X3))
                .extracting(SearchSpaces.Problem::field).containsExactly("searchSpace");
        assertThat(SearchSpaces.problems(n(List.of("none"), null, List.of(8), null), NO_3X3)).isEmpty();
    }
}
