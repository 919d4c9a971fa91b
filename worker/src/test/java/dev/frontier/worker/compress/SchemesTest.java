package dev.frontier.worker.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.frontier.worker.contract.LayerCompression;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.Zoo;
import dev.frontier.worker.profile.ModelProfile;

/**
 * The registry is the one fitness rule: what the profile advertises as prunable (and so what the
 * coordinator searches) is exactly what the compressor accepts, for every layer of every zoo model.
 */
class SchemesTest {

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "vgg", "resnet", "mobilenet"})
    void profileAdvertisesExactlyWhatTheCompressorAccepts(String arch) {
        Graph g = Zoo.create(arch, 1, 10);
        dev.frontier.worker.contract.ModelProfile profile = ModelProfile.of(g);
        int checked = 0;
        for (dev.frontier.worker.contract.ProfileLayer layer : profile.getLayers()) {
            String name = layer.getName();
            Node n = g.node(name);
            List<String> prunable = layer.getPrunable();
            Map<String, String> unfit = layer.getUnfit() == null ? Map.of() : layer.getUnfit();
            if (g.params().get(n.weightName()) == null) {
                assertThat(prunable).as(name + " has no weights").isEmpty();
                continue;
            }
            for (Schemes.Scheme s : Schemes.all()) {
                CompressionConfig cfg = CompressionConfig.pruning(name, s.atStrength().apply(0.5));
                String where = arch + "/" + name + "/" + s.name();
                if (prunable.contains(s.name())) {
                    assertThat(unfit).as(where).doesNotContainKey(s.name());
                    Compressor.Result r = Compressor.compress(g, cfg);
                    assertThat(r.report().notes()).as(where).noneMatch(note -> note.startsWith(name + ": ") && note.contains("skipped"));
                    assertThat(r.report().keptParams()).as(where + " removes weights").isLessThan(r.report().params());
                } else {
                    String reason = unfit.get(s.name());
                    assertThat(reason).as(where + " says why it does not fit").isNotBlank();
                    if (s.name().equals("filter")) {
                        // an explicitly listed filter choice that cannot apply is skipped with the reason
                        assertThat(Compressor.compress(g, cfg).report().notes()).as(where)
                                .anyMatch(note -> note.contains(reason));
                    } else {
                        assertThatThrownBy(() -> Compressor.compress(g, cfg)).as(where)
                                .isInstanceOf(InvalidConfigException.class).hasMessageContaining(reason);
                    }
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(Schemes.all().size());
    }

    /** The contract's scheme enum (openapi.yaml) names exactly the registry's schemes, and none. */
    @Test
    void contractSchemeEnumMatchesTheRegistry() {
        List<String> wire = java.util.Arrays.stream(dev.frontier.worker.contract.Scheme.values()).map(v -> v.getValue()).toList();
        List<String> registry = new java.util.ArrayList<>(Schemes.names());
        registry.add("none");
        assertThat(wire).containsExactlyInAnyOrderElementsOf(registry);
    }

    @Test
    void configurationKeysAndNamesComeFromTheRegistry() {
        assertThat(Schemes.names()).containsExactly("pattern", "connectivity", "block", "filter", "unstructured");
        assertThatThrownBy(() -> CompressionConfig.parse("{\"default\":{\"prune\":{\"scheme\":\"stripes\",\"rate\":0.5}}}"))
                .hasMessageContaining("unknown scheme 'stripes'").hasMessageContaining("pattern");
        assertThatThrownBy(() -> CompressionConfig.parse("{\"default\":{\"prune\":{\"scheme\":\"filter\",\"rate\":0.5,\"block\":[4,4]}}}"))
                .hasMessageContaining("block");
        for (Schemes.Scheme s : Schemes.all()) {
            PruneSpec spec = CompressionConfig.from(new dev.frontier.worker.contract.CompressionConfig()
                    ._default(new LayerCompression().prune(s.atStrength().apply(0.5)))).defaults().prune();
            assertThat(spec.scheme()).isEqualTo(s.name());
            assertThat(PruningScheme.forSpec(spec)).isInstanceOf(s.pruner().get().getClass());
        }
    }
}
