package dev.frontier.worker.profile;

import dev.frontier.worker.contract.ProfileLayer;
import dev.frontier.worker.contract.SchemeInfo;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Zoo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelProfileTest {

    private static ProfileLayer layer(dev.frontier.worker.contract.ModelProfile profile, String name) {
        return profile.getLayers().stream().filter(l -> l.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void profileListsLayersWithCostsAndFittingSchemes() {
        Graph g = Zoo.vgg(1, 10);
        dev.frontier.worker.contract.ModelProfile p = ModelProfile.of(g);
        assertThat(p.getMacs()).isEqualTo(g.totalMacs());
        assertThat(layer(p, "conv2").getMacs()).isEqualTo(28L * 28 * 32 * 32 * 9);
        assertThat(layer(p, "conv2").getPrunable()).contains("pattern", "connectivity", "filter");
        assertThat(layer(p, "fc1").getPrunable()).containsExactly("block", "filter", "unstructured");
        assertThat(layer(p, "fc2").getPrunable()).as("output layer keeps its classes").doesNotContain("filter");
        assertThat(layer(p, "relu1").getPrunable()).isEmpty();
        assertThat(layer(p, "fc2").getUnfit()).as("the pruner's own reason")
                .containsOnlyKeys("pattern", "connectivity", "filter");
        assertThat(p.getSchemes()).extracting(SchemeInfo::getName)
                .containsExactly("pattern", "connectivity", "block", "filter", "unstructured");

        Graph m = Zoo.mobilenet(1, 10);
        assertThat(layer(ModelProfile.of(m), "dw1").getPrunable()).containsExactly("unstructured");
        assertThat(layer(ModelProfile.of(m), "pw1").getPrunable()).doesNotContain("pattern");
    }
}
