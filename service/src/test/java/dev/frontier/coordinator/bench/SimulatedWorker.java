package dev.frontier.coordinator.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One lightweight simulated worker (a thread, not a process): leases a task, heartbeats it once and
 * completes it with a synthetic result of the right shape, as fast as the coordinator lets it. It
 * exercises the coordinator's protocol and storage, not any model: results are made up. With a
 * small probability it "crashes" instead: it stops heartbeating and never reports, so the
 * coordinator has to expire the lease and hand the task out again.
 */
final class SimulatedWorker implements Runnable {
    static final Map<String, Object> PROFILE = Map.of(
            "params", 100_000, "macs", 2_000_000, "inputShape", List.of(1, 28, 28),
            "layers", List.of(
                    Map.of("name", "conv1", "op", "conv2d", "kernel", List.of(3, 3), "params", 288, "prunable", List.of("pattern", "connectivity", "filter", "unstructured", "block")),
                    Map.of("name", "conv2", "op", "conv2d", "kernel", List.of(3, 3), "params", 18_432, "prunable", List.of("pattern", "connectivity", "filter", "unstructured", "block")),
                    Map.of("name", "fc1", "op", "linear", "params", 80_000, "prunable", List.of("block", "filter", "unstructured")),
                    Map.of("name", "relu1", "op", "relu", "params", 0)));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int index;
    private final UUID workerId;
    private final LoopbackHttp http;
    private final String artifactSha;
    private final double abandonProbability;
    private final LeaseLog log;
    private final BooleanSupplier running;
    private final SplittableRandom random;
    private final Latencies leaseLatency = new Latencies();
    private final Latencies reportLatency = new Latencies();
    private long errors;

    SimulatedWorker(int index, UUID workerId, LoopbackHttp http, String artifactSha, double abandonProbability, LeaseLog log,
            BooleanSupplier running) {
        this.index = index;
        this.workerId = workerId;
        this.http = http;
        this.artifactSha = artifactSha;
        this.abandonProbability = abandonProbability;
        this.log = log;
        this.running = running;
        this.random = new SplittableRandom(index * 7919L + 17);
    }

    @Override
    public void run() {
        try (http) {
            while (running.getAsBoolean()) {
                try {
                    cycle();
                } catch (RuntimeException e) {
                    errors++;
                }
            }
        }
    }

    /** Lease requests, in nanoseconds; they include the long-poll wait when the queue is empty. */
    long[] leaseLatencies() {
        return leaseLatency.values();
    }

    /** Heartbeat and complete requests, in nanoseconds. */
    long[] reportLatencies() {
        return reportLatency.values();
    }

    long errors() {
        return errors;
    }

    private void cycle() {
        // a short long-poll: an idle worker waits at the coordinator instead of spinning
        JsonNode leases = post(leaseLatency, "/api/v1/leases", Map.of("workerId", workerId, "max", 1, "waitSeconds", 1));
        if (leases == null || leases.path("leases").isEmpty()) return;
        JsonNode lease = leases.path("leases").get(0);
        long granted = System.nanoTime();
        UUID leaseId = UUID.fromString(lease.path("id").asString());
        String kind = lease.path("kind").asString();
        long taskId = lease.path("taskId").asLong();
        UUID trialId = lease.hasNonNull("trialId") ? UUID.fromString(lease.path("trialId").asString()) : null;
        UUID deviceId = lease.hasNonNull("deviceId") ? UUID.fromString(lease.path("deviceId").asString()) : null;

        post(reportLatency, "/api/v1/leases/" + leaseId + "/heartbeat", Map.of("workerId", workerId, "progress", 0.5));
        if (random.nextDouble() < abandonProbability) {
            log.add(new LeaseLog.Entry(leaseId, taskId, kind, trialId, deviceId, index, granted, System.nanoTime(),
                    LeaseLog.Outcome.ABANDONED, null, Double.NaN));
            return;
        }
        String nonce = leaseId.toString();
        // a value that differs per lease, so the stored row can be matched to the report that wrote it
        double value = 1 + (leaseId.getLeastSignificantBits() >>> 1) % 80_000 / 1000.0;
        Map<String, Object> body = switch (kind) {
            case "PROFILE" -> Map.of("workerId", workerId, "result", dev.frontier.coordinator.support.TestProfiles.withRegistry(PROFILE));
            case "BUILD" -> Map.of("workerId", workerId, "artifactSha256", artifactSha,
                    // the nonce rides in a free-text field of the contract (openapi.yaml has no room for extras)
                    "result", Map.of("accuracy", value, "sizeBytes", 100_000, "activationCalibration", "synthetic " + nonce));
            default -> Map.of("workerId", workerId, "result", Map.of("medianMs", value, "device", "synthetic " + nonce));
        };
        long t0 = System.nanoTime();
        LoopbackHttp.Response r = http.postJson("/api/v1/leases/" + leaseId + "/complete", JSON.writeValueAsString(body));
        reportLatency.add(System.nanoTime() - t0);
        LeaseLog.Outcome outcome;
        if (r.status() == 200) {
            boolean done = "DONE".equals(JSON.readTree(r.body()).path("taskState").asString());
            outcome = done ? LeaseLog.Outcome.COMPLETED : LeaseLog.Outcome.COMPLETED_CANCELLED;
        } else {
            outcome = LeaseLog.Outcome.REFUSED;
            errors++;
        }
        log.add(new LeaseLog.Entry(leaseId, taskId, kind, trialId, deviceId, index, granted, System.nanoTime(), outcome, nonce, value));
    }

    private JsonNode post(Latencies into, String path, Map<String, Object> body) {
        long t0 = System.nanoTime();
        LoopbackHttp.Response r = http.postJson(path, JSON.writeValueAsString(body));
        into.add(System.nanoTime() - t0);
        if (r.status() != 200) {
            errors++;
            return null;
        }
        return JSON.readTree(r.body());
    }

    /** A growable array of one thread's latencies. */
    private static final class Latencies {
        private long[] values = new long[1 << 14];
        private int n;

        void add(long nanos) {
            if (n == values.length) values = Arrays.copyOf(values, n * 2);
            values[n++] = nanos;
        }

        long[] values() {
            return Arrays.copyOf(values, n);
        }
    }
}
