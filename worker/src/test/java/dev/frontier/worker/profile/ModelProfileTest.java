package dev.frontier.worker.profile;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Zoo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ModelProfileTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> layer(Map<String, Object> profile, String name) {
        return ((List<Map<String, Object>>) profile.get("layers")).stream()
                .filter(l -> l.get("name").equals(name)).findFirst().orElseThrow();
    }

    @Test
    void profileListsLayersWithCostsAndFittingSchemes() {
        Graph g = Zoo.vgg(1, 10);
        Map<String, Object> p = ModelProfile.of(g);
        assertThat(p.get("macs")).isEqualTo(g.totalMacs());
        assertThat(layer(p, "conv2").get("macs")).isEqualTo(28L * 28 * 32 * 32 * 9);
        assertThat((List<String>) layer(p, "conv2").get("prunable")).contains("pattern", "connectivity", "filter");
        assertThat((List<String>) layer(p, "fc1").get("prunable")).containsExactly("block", "filter", "unstructured");
        assertThat((List<String>) layer(p, "fc2").get("prunable")).as("output layer keeps its classes")
                .doesNotContain("filter");
        assertThat((List<String>) layer(p, "relu1").get("prunable")).isEmpty();
        assertThat((Map<String, String>) layer(p, "fc2").get("unfit")).as("the pruner's own reason")
                .containsOnlyKeys("pattern", "connectivity", "filter");
        assertThat((List<dev.frontier.worker.contract.SchemeInfo>) p.get("schemes"))
                .extracting(dev.frontier.worker.contract.SchemeInfo::getName)
                .containsExactly("pattern", "connectivity", "block", "filter", "unstructured");

        Graph m = Zoo.mobilenet(1, 10);
        assertThat((List<String>) layer(ModelProfile.of(m), "dw1").get("prunable")).containsExactly("unstructured");
        assertThat((List<String>) layer(ModelProfile.of(m), "pw1").get("prunable")).doesNotContain("pattern");
    }
}
