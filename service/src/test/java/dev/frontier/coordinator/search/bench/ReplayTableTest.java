package dev.frontier.coordinator.search.bench;

import dev.frontier.coordinator.api.model.CompressionConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.frontier.coordinator.search.SearchSpace;
import dev.frontier.coordinator.search.SearchSpaces;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness itself, on a few hand-written rows (a test fixture, not recorded data). */
class ReplayTableTest {
    private static final dev.frontier.coordinator.api.model.ModelProfile PROFILE = dev.frontier.coordinator.support.TestProfiles.profile(Map.of("layers", List.of(Map.of("name", "fc", "op", "linear",
            "prunable", List.of("block", "filter", "unstructured")))));

    @Test
    void readsApiTrialPagesAndJsonLinesAndAnswersWithTheNearestRow(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("page.json");
        Files.writeString(page, """
                {"items": [
                  {"seq": 0, "state": "DONE", "config": {}, "fidelity": 0, "accuracy": 90, "sizeBytes": 1000,
                   "measurements": [{"medianMs": 10, "metrics": {"perLayerMs": {"fc": 9}}}]},
                  {"seq": 1, "state": "DONE", "config": {"layers": {"fc": {"prune": {"scheme": "block", "rate": 0.5, "block": [4, 16]}}}},
                   "fidelity": 1, "accuracy": 89, "sizeBytes": 500, "measurements": [{"medianMs": 6}]},
                  {"seq": 2, "state": "FAILED", "config": {"layers": {"fc": {"prune": {"scheme": "filter", "rate": 0.9}}}}, "fidelity": 1},
                  {"seq": 3, "state": "CANCELLED", "config": {}, "fidelity": 1}
                ], "page": 0, "size": 50, "total": 4}
                """);
        ReplayTable table = ReplayTable.load(page);
        assertThat(table.size()).isEqualTo(3);
        SearchSpace space = SearchSpaces.fromProfile(PROFILE, null);
        table.bind(space);
        assertThat(table.evaluate(new CompressionConfig(), 0).latencyMs()).isEqualTo(10);
        assertThat(table.evaluate(new CompressionConfig(), 0).perLayerMs()).containsEntry("fc", 9.0);
        // block 0.6 was never recorded: the nearest recorded neighbour is block 0.5
        var near = table.evaluate(dev.frontier.coordinator.support.TestConfigs.of(Map.of("layers", Map.of("fc", Map.of("prune", Map.of("scheme", "block", "rate", 0.6, "block", List.of(4, 16)))))), 1);
        assertThat(near.accuracy()).isEqualTo(89);
        assertThat(table.evaluate(dev.frontier.coordinator.support.TestConfigs.of(Map.of("layers", Map.of("fc", Map.of("prune", Map.of("scheme", "filter", "rate", 0.9))))), 1)).isNull();
        assertThat(table.bestHypervolume(new Replay.Settings(space, 8, 1, 10, 4, 1, 1))).isPositive();

        Path lines = dir.resolve("rows.jsonl");
        Files.writeString(lines, """
                {"config": {}, "fidelity": 0, "accuracy": 90, "latencyMs": 10, "sizeBytes": 1000}
                {"config": {"layers": {"fc": {"prune": {"scheme": "unstructured", "rate": 0.5}}}}, "fidelity": 1, "accuracy": 89.5, "latencyMs": 9.5, "sizeBytes": 600}
                """);
        ReplayTable jsonl = ReplayTable.load(lines);
        assertThat(jsonl.size()).isEqualTo(2);
        jsonl.bind(space);
        Replay.Run run = Replay.run("nsga2", 1, jsonl, new Replay.Settings(space, 8, 1, 6, 2, 1, 1));
        assertThat(run.hypervolume()).hasSizeGreaterThan(1);
    }

    @Test
    void answersOnlyFromRowsOfTheNearestRecordedFidelity(@TempDir Path dir) throws Exception {
        Path lines = dir.resolve("rows.jsonl");
        Files.writeString(lines, """
                {"config": {}, "fidelity": 0, "accuracy": 90, "latencyMs": 10, "sizeBytes": 1000}
                {"config": {"layers": {"fc": {"prune": {"scheme": "unstructured", "rate": 0.5}}}}, "fidelity": 0.25, "accuracy": 70, "latencyMs": 9, "sizeBytes": 600}
                {"config": {"layers": {"fc": {"prune": {"scheme": "unstructured", "rate": 0.6}}}}, "fidelity": 1, "accuracy": 88, "latencyMs": 8, "sizeBytes": 500}
                """);
        ReplayTable table = ReplayTable.load(lines);
        table.bind(SearchSpaces.fromProfile(PROFILE, null));
        CompressionConfig recordedLow = dev.frontier.coordinator.support.TestConfigs.of(Map.of("layers", Map.of("fc", Map.of("prune", Map.of("scheme", "unstructured", "rate", 0.5)))));
        assertThat(table.evaluate(recordedLow, 0.25).accuracy()).isEqualTo(70);
        // at full fidelity the same config was never recorded: its full-fidelity neighbour answers, not the 0.25 row
        assertThat(table.evaluate(recordedLow, 1).accuracy()).isEqualTo(88);
        assertThat(table.evaluate(new CompressionConfig(), 1).accuracy()).isEqualTo(90);
    }

    @Test
    void poolReplayHandsOutEachRowOnceAndReportsTheConfigItReallyHad(@TempDir Path dir) throws Exception {
        Path lines = dir.resolve("rows.jsonl");
        Files.writeString(lines, """
                {"config": {}, "fidelity": 0, "accuracy": 90, "latencyMs": 10, "sizeBytes": 1000}
                {"config": {"layers": {"fc": {"prune": {"scheme": "unstructured", "rate": 0.5}}}}, "fidelity": 1, "accuracy": 89, "latencyMs": 9, "sizeBytes": 600}
                {"config": {"layers": {"fc": {"prune": {"scheme": "unstructured", "rate": 0.9}}}}, "fidelity": 1, "accuracy": 80, "latencyMs": 5, "sizeBytes": 200}
                """);
        ReplayTable table = ReplayTable.load(lines);
        table.bind(SearchSpaces.fromProfile(PROFILE, null));
        CompressionConfig half = dev.frontier.coordinator.support.TestConfigs.of(Map.of("layers", Map.of("fc", Map.of("prune", Map.of("scheme", "unstructured", "rate", 0.5)))));
        Oracle job = table.newRun();
        assertThat(job.answer(half, 1).outcome().accuracy()).isEqualTo(89);
        Oracle.Answer second = job.answer(half, 1);
        assertThat(second.outcome().accuracy()).isEqualTo(80);
        assertThat(second.config()).isEqualTo(dev.frontier.coordinator.support.TestConfigs.of(Map.of("layers", Map.of("fc", Map.of("prune", Map.of("scheme", "unstructured", "rate", 0.9))))));
        // the level is used up: rows answer again rather than nothing
        assertThat(job.answer(half, 1).outcome().accuracy()).isEqualTo(89);
        // the baseline is not used up, and a new job starts with a full pool
        assertThat(job.answer(new CompressionConfig(), 0).outcome().accuracy()).isEqualTo(90);
        assertThat(table.newRun().answer(half, 1).outcome().accuracy()).isEqualTo(89);

        ReplayTable nearest = ReplayTable.load(lines).nearestOnly();
        nearest.bind(SearchSpaces.fromProfile(PROFILE, null));
        Oracle stateless = nearest.newRun();
        assertThat(stateless.answer(half, 1).outcome().accuracy()).isEqualTo(89);
        assertThat(stateless.answer(half, 1).outcome().accuracy()).isEqualTo(89);
    }
}
