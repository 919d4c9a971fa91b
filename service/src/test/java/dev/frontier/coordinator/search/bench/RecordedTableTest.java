package dev.frontier.coordinator.search.bench;

import dev.frontier.coordinator.api.model.CompressionConfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.frontier.coordinator.search.Encoding;
import dev.frontier.coordinator.search.SearchSpace;
import dev.frontier.coordinator.search.SearchSpaces;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The committed replay table (real trials of the demo model, see README.md) is what the benchmark
 * and the choice of the default strategy rest on: it must be big enough, hold both fidelities with
 * promoted pairs, and every row must be a point of the space the profile defines.
 */
class RecordedTableTest {
    static final Path DIR = Path.of("src/test/resources/replay");
    static final Path PROFILE = DIR.resolve("vgg-fmnist-profile.json");
    static final Path CODESIGN_SPACE = DIR.resolve("vgg-fmnist-codesign-space.json");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @SuppressWarnings("unchecked")
    static dev.frontier.coordinator.api.model.ModelProfile profile() throws Exception {
        return dev.frontier.coordinator.support.TestProfiles.profile(JSON.readValue(Files.readString(PROFILE), LinkedHashMap.class));
    }

    /** Both whole-space recordings: the first on a loaded machine, the second (-quiet) with the agent alone on its core. */
    @ParameterizedTest
    @ValueSource(strings = {"vgg-fmnist-random.jsonl", "vgg-fmnist-random-quiet.jsonl"})
    void tableIsLargeHasBothFidelitiesAndOnlyConfigsOfTheProfilesSpace(String file) throws Exception {
        ReplayTable table = ReplayTable.load(DIR.resolve(file));
        SearchSpace space = SearchSpaces.fromProfile(profile(), null);
        Encoding encoding = new Encoding(space);
        List<ReplayTable.Row> rows = table.rows();

        assertThat(rows).hasSizeGreaterThanOrEqualTo(150);
        assertThat(table.distinctConfigs()).isGreaterThanOrEqualTo(100);
        double max = table.maxFidelity();
        double min = table.minFidelity(max);
        assertThat(min).isLessThan(max);
        long low = rows.stream().filter(r -> !dev.frontier.coordinator.search.Configs.isDense(r.config()) && r.fidelity() == min).count();
        long full = rows.stream().filter(r -> !dev.frontier.coordinator.search.Configs.isDense(r.config()) && r.fidelity() == max).count();
        assertThat(low).as("low-fidelity rows").isGreaterThanOrEqualTo(50);
        assertThat(full).as("full-fidelity rows").isGreaterThanOrEqualTo(30);
        assertThat(rows.stream().filter(r -> dev.frontier.coordinator.search.Configs.isDense(r.config()) && !r.failed())).as("the dense baseline").isNotEmpty();
        Set<CompressionConfig> lowConfigs = rows.stream().filter(r -> r.fidelity() == min).map(ReplayTable.Row::config)
                .collect(Collectors.toSet());
        long pairs = rows.stream().filter(r -> r.fidelity() == max && lowConfigs.contains(r.config())).count();
        assertThat(pairs).as("configs recorded at both fidelities (promotions)").isGreaterThanOrEqualTo(30);

        everyRowIsAPointOfTheSpaceAndSane(rows, encoding, min, max);
        assertThat(table.bestHypervolume(new Replay.Settings(space, 0.6, 1, 100, 4, min, max))).isPositive();
    }

    /**
     * The co-design table: pattern/connectivity on conv2 and conv4 with or without int8, one
     * fidelity, recorded by grid so that every point of its space is there and a replay answers
     * each proposal with the config it asked for. Both recordings: the first on a loaded machine,
     * the second (-quiet) with the agent alone on its core.
     */
    @ParameterizedTest
    @ValueSource(strings = {"vgg-fmnist-codesign.jsonl", "vgg-fmnist-codesign-quiet.jsonl"})
    void codesignTableCoversItsNarrowedSpaceAtOneFidelity(String file) throws Exception {
        ReplayTable table = ReplayTable.load(DIR.resolve(file));
        SearchSpace space = SearchSpaces.fromProfile(profile(), ReplayBenchmark.narrowing(CODESIGN_SPACE));
        Encoding encoding = new Encoding(space);
        assertThat(encoding.size()).as("conv2 and conv4: dense, connectivity 0.75, pattern 4/6/8 x connectivity 0/0.75; float32 or int8")
                .isEqualTo(8 * 8 * 2);
        List<ReplayTable.Row> rows = table.rows();
        double max = table.maxFidelity();
        assertThat(table.minFidelity(max)).as("one fidelity").isEqualTo(max);
        assertThat(rows.stream().filter(r -> dev.frontier.coordinator.search.Configs.isDense(r.config()) && !r.failed())).as("the dense baseline").hasSize(1);
        Set<String> points = rows.stream().map(r -> Encoding.key(encoding.decode(r.config()))).collect(Collectors.toSet());
        assertThat(points).as("each point once").hasSize(rows.size());
        assertThat((long) points.size()).as("every point of the space recorded").isEqualTo(encoding.size());
        everyRowIsAPointOfTheSpaceAndSane(rows, encoding, max, max);
        assertThat(rows.stream().filter(r -> !r.failed() && r.config().getDefault() != null).count()).as("int8 rows").isPositive();
        assertThat(table.bestHypervolume(new Replay.Settings(space, 0.3, 1, 100, 4, max, max))).isPositive();
    }

    private static void everyRowIsAPointOfTheSpaceAndSane(List<ReplayTable.Row> rows, Encoding encoding, double min, double max) {
        for (ReplayTable.Row r : rows) {
            // a config of the space survives decode -> encode unchanged; anything else would be snapped
            CompressionConfig again = encoding.config(encoding.decode(r.config()));
            JsonNode snapped = JSON.valueToTree(again);
            JsonNode recorded = JSON.valueToTree(r.config());
            assertThat(snapped).as("config %s", r.config()).isEqualTo(recorded);
            assertThat(r.fidelity()).isIn(0.0, min, max);
            if (r.failed()) continue;
            assertThat(r.accuracy()).as("accuracy of %s", r.config()).isBetween(5.0, 100.0);
            assertThat(r.latencyMs()).isPositive().isFinite();
            assertThat(r.sizeBytes()).isPositive();
            assertThat(r.perLayerMs()).containsKeys("conv1", "fc2");
        }
    }
}
