package dev.frontier.worker.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.frontier.worker.agent.CoordinatorClient;
import dev.frontier.worker.data.Datasets;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;
import dev.frontier.worker.model.Zoo;
import dev.frontier.worker.train.TrainConfig;
import dev.frontier.worker.train.Trainer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Shared steps of the fault tests: a small trained model, a job, and the audit of its trials. */
final class FaultJobs {
    private static byte[] model;

    private FaultJobs() {
    }

    /** Coordinator settings that make faults cheap to observe: 5 s leases, a fast reaper and search step. */
    static Map<String, String> fastLeases() {
        return Map.of("FRONTIER_LEASE_TTL", "5s", "FRONTIER_REAP_INTERVAL", "1s", "FRONTIER_SEARCH_STEP", "1s",
                "FRONTIER_MAX_ATTEMPTS", "12", "FRONTIER_MAX_IN_FLIGHT", "2", "FRONTIER_DEVICE_ONLINE_WINDOW", "60s");
    }

    static synchronized byte[] lenet() throws Exception {
        if (model == null) {
            Graph g = Trainer.train(Zoo.lenet5(1, 10), Datasets.fashionMnist().train().subset(1000),
                    TrainConfig.baseline(1).withSeed(1), null);
            Path f = Files.createTempFile("lenet-faults", ".frir");
            ModelFile.write(g, f);
            model = Files.readAllBytes(f);
            Files.delete(f);
        }
        return model;
    }

    static String device(CoordinatorClient api, String name) {
        ObjectNode d = CoordinatorClient.object();
        d.put("name", name);
        return api.post("devices", d).path("id").asString();
    }

    static String submit(CoordinatorClient api, String deviceId, int maxTrials) throws Exception {
        ObjectNode ds = CoordinatorClient.object();
        ds.put("name", "fashion-mnist");
        ds.put("kind", "fashion-mnist");
        try {
            api.post("datasets", ds);
        } catch (RuntimeException alreadyThere) {
            // registered by an earlier job on this coordinator
        }
        JsonNode m = api.postMultipart("models", Map.of("name", "lenet-faults", "format", "frontier-ir",
                "inputShape", "1,28,28", "dataset", "fashion-mnist"), "lenet.frir", lenet());
        ObjectNode job = CoordinatorClient.object();
        job.put("modelId", m.path("id").asString());
        job.putArray("deviceIds").add(deviceId);
        job.put("latencyTargetMs", 50.0);
        job.put("maxAccuracyDrop", 5.0);
        job.put("seed", 11);
        job.put("strategy", "random");
        job.putObject("budget").put("maxTrials", maxTrials);
        ObjectNode fidelity = job.putObject("fidelity");
        fidelity.put("min", 0.05);
        fidelity.put("max", 0.05);
        return api.post("jobs", job).path("id").asString();
    }

    static JsonNode job(CoordinatorClient api, String jobId) {
        return api.get("jobs/" + jobId);
    }

    static boolean finished(JsonNode job) {
        String s = job.path("state").asString();
        return s.equals("COMPLETED") || s.equals("FAILED") || s.equals("CANCELLED");
    }

    static JsonNode waitFinished(CoordinatorClient api, String jobId, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        JsonNode j = job(api, jobId);
        while (!finished(j) && System.currentTimeMillis() < deadline) {
            Thread.sleep(1000);
            j = job(api, jobId);
        }
        return j;
    }

    static int countDone(CoordinatorClient api, String jobId) {
        return api.get("jobs/" + jobId + "/trials?state=DONE&size=1").path("total").asInt();
    }

    /** What the note reports per job: trials finished, failed (with reasons), lost, counted twice. */
    record Audit(int trials, int done, int failed, int lost, int duplicated, List<String> failures, int maxAttempts) {
    }

    /**
     * Every trial finished (DONE, or FAILED for a reason of its own, never because a fault ate it),
     * sequence numbers without gaps, exactly one measurement per target device on each DONE trial, and
     * the job's counters agree with the rows.
     */
    static Audit audit(CoordinatorClient api, String jobId, int devices) {
        JsonNode job = job(api, jobId);
        JsonNode page = api.get("jobs/" + jobId + "/trials?size=500&sort=seq");
        List<String> failures = new ArrayList<>();
        Set<Integer> seqs = new HashSet<>();
        int done = 0;
        int failed = 0;
        int lost = 0;
        int duplicated = 0;
        int maxAttempts = 0;
        for (JsonNode t : page.path("items")) {
            seqs.add(t.path("seq").asInt());
            maxAttempts = Math.max(maxAttempts, t.path("attempts").asInt());
            String state = t.path("state").asString();
            switch (state) {
                case "DONE" -> {
                    done++;
                    Set<String> measured = new HashSet<>();
                    for (JsonNode m : t.path("measurements")) measured.add(m.path("deviceId").asString());
                    if (t.path("measurements").size() != devices || measured.size() != devices) duplicated++;
                }
                case "FAILED" -> {
                    failed++;
                    String kind = t.path("errorKind").asString();
                    failures.add("seq " + t.path("seq").asInt() + " [" + kind + "] " + t.path("error").asString());
                    // a trial that failed because workers died or leases ran out was lost to a fault
                    if (kind.equals("LEASE_EXPIRED") || kind.equals("WORKER_SHUTDOWN") || kind.equals("DOWNLOAD")
                            || kind.equals("UPLOAD")) {
                        lost++;
                    }
                }
                default -> lost++;
            }
        }
        int total = page.path("total").asInt();
        assertThat(seqs).as("trial sequence numbers").hasSize(total);
        for (int i = 0; i < total; i++) assertThat(seqs).contains(i);
        assertThat(job.path("progress").path("done").asInt()).as("job counter of DONE trials").isEqualTo(done);
        assertThat(job.path("progress").path("total").asInt()).as("job counter of trials").isEqualTo(total);
        return new Audit(total, done, failed, lost, duplicated, failures, maxAttempts);
    }
}
