package dev.frontier.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The dashboard's browser test of a real trial page (dashboard-tests, "real agent's build") renders
 * a trial recorded here: what the real coordinator served for a build by the real agent in
 * {@link EndToEndTest}. Every run checks the live builds still send what the trial page reads, and
 * that the recording holds no field the live builds no longer send (a stale recording would let the
 * dashboard pass on data no agent produces). Re-record with {@code -Dfrontier.dashboardTrial.update=true}.
 */
final class DashboardTrialRecording {
    static final Path FILE = Path.of("..", "dashboard-tests", "recorded", "real-trial.json");
    private static final String UPDATE = "frontier.dashboardTrial.update";
    /** The per-layer fields the trial page's layer table reads (service static js/views/trial.js). */
    static final List<String> LAYER_FIELDS = List.of("name", "op", "pruning", "quantization", "params", "keptParams",
            "macs", "keptMacs", "sparsity");

    private DashboardTrialRecording() {
    }

    static void check(CoordinatorClient api, String jobId) throws IOException {
        List<JsonNode> built = new ArrayList<>();
        for (JsonNode t : api.get("jobs/" + jobId + "/trials?size=50&sort=seq").path("items")) {
            if (t.path("state").asString().equals("DONE")) built.add(t);
        }
        JsonNode live = showcase(built);
        assertReadableByTrialPage(live);
        if (Boolean.getBoolean(UPDATE)) record(live);

        assertThat(FILE).as("recorded trial missing: run EndToEndTest with -D" + UPDATE + "=true").exists();
        JsonNode recorded = CoordinatorClient.JSON.readTree(Files.readString(FILE)).path("trial");
        assertReadableByTrialPage(recorded);
        String stale = FILE + " holds fields no real build sends any more: re-record with -D" + UPDATE + "=true";
        assertThat(union(built, t -> t)).as(stale).containsAll(keys(recorded));
        assertThat(union(built, t -> t.path("buildMetrics"))).as(stale).containsAll(keys(recorded.path("buildMetrics")));
        assertThat(layerKeys(built)).as(stale).containsAll(layerKeys(List.of(recorded)));
    }

    /** A compressed, fine-tuned build: pruned layers and an accuracy before fine-tuning, when the job has one. */
    private static JsonNode showcase(List<JsonNode> built) {
        Comparator<JsonNode> pruned = Comparator.comparing(t -> !hasPrunedLayer(t));
        return built.stream()
                .filter(t -> t.path("buildMetrics").path("accuracyBeforeFineTune").isNumber())
                .filter(t -> !t.path("stage").asString().equals("POLISH"))
                .min(pruned.thenComparing(t -> t.path("seq").asInt()))
                .orElseThrow(() -> new AssertionError("no finished compressed, fine-tuned trial to record: " + built));
    }

    private static boolean hasPrunedLayer(JsonNode trial) {
        for (JsonNode l : trial.path("buildMetrics").path("compression").path("layers")) {
            if (!l.path("pruning").asString("none").equals("none")) return true;
        }
        return false;
    }

    private static void assertReadableByTrialPage(JsonNode trial) {
        JsonNode bm = trial.path("buildMetrics");
        assertThat(bm.path("accuracyBeforeFineTune").isNumber()).as("accuracyBeforeFineTune in " + bm).isTrue();
        assertThat(trial.path("validationAccuracy").isNumber()).as("validationAccuracy in " + trial).isTrue();
        JsonNode layers = bm.path("compression").path("layers");
        assertThat(layers.size()).as("buildMetrics.compression.layers of trial #" + trial.path("seq")).isPositive();
        for (JsonNode l : layers) {
            assertThat(keys(l)).as("a layer of the compression report").containsAll(LAYER_FIELDS);
        }
    }

    private static void record(JsonNode trial) throws IOException {
        ObjectNode out = CoordinatorClient.object();
        out.put("recordedBy", "worker EndToEndTest: GET /api/v1/trials/{id} of a build by the real agent "
                + "(re-record: ./mvnw -pl worker test -Dtest=EndToEndTest -D" + UPDATE + "=true)");
        out.set("trial", trial);
        Files.createDirectories(FILE.getParent());
        Files.writeString(FILE, CoordinatorClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n");
    }

    /** The fields of every layer report of these trials; {@code note} is optional (LayerReport) and left out. */
    private static Set<String> layerKeys(List<JsonNode> trials) {
        Set<String> all = new TreeSet<>();
        for (JsonNode t : trials) {
            for (JsonNode l : t.path("buildMetrics").path("compression").path("layers")) all.addAll(keys(l));
        }
        all.remove("note");
        return all;
    }

    private static Set<String> union(List<JsonNode> trials, Function<JsonNode, JsonNode> part) {
        Set<String> all = new TreeSet<>();
        trials.forEach(t -> all.addAll(keys(part.apply(t))));
        return all;
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> names = new TreeSet<>();
        for (String name : object.propertyNames()) names.add(name);
        return names;
    }
}
