package dev.frontier.worker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.frontier.worker.agent.CoordinatorClient;
import tools.jackson.databind.JsonNode;

/**
 * kill -9 of a real worker process in the middle of a build and in the middle of a measurement,
 * again and again ({@code -Dfaults.kills}, default 20), a fresh worker started after each kill:
 * the job completes, no trial is lost or counted twice.
 */
class WorkerKillFaultIT {
    @Test
    @Timeout(1500)
    void killedWorkersLoseNothingButTheirAttempt(@TempDir Path tmp) throws Exception {
        assumeThat(Coordinator.JAR).as("service jar (built by the reactor)").exists();
        assumeThat(WorkerProcess.JAR).as("worker jar (package phase, before integration tests)").exists();
        int target = Integer.getInteger("faults.kills", 20);
        Random random = new Random(7);
        List<String> kills = new ArrayList<>();
        try (Coordinator coordinator = new Coordinator(tmp.resolve("coordinator"), FaultJobs.fastLeases()).start()) {
            CoordinatorClient api = new CoordinatorClient(coordinator.url, Coordinator.ADMIN_TOKEN);
            String device = FaultJobs.device(api, "kill-device");
            String jobId = FaultJobs.submit(api, device, 10);
            int n = 0;
            WorkerProcess worker = new WorkerProcess(coordinator.url, "kill-device", tmp.resolve("worker"), tmp.resolve("worker-" + n + ".log"));
            try {
                long deadline = System.currentTimeMillis() + 1_100_000;
                while (kills.size() < target && System.currentTimeMillis() < deadline && !FaultJobs.finished(FaultJobs.job(api, jobId))) {
                    String want = kills.size() % 2 == 0 ? "BUILDING" : "MEASURING";
                    JsonNode trial = waitFor(api, jobId, want, 90_000);
                    if (trial == null) {
                        want = want.equals("BUILDING") ? "MEASURING" : "BUILDING";
                        trial = waitFor(api, jobId, want, 30_000);
                    }
                    if (trial == null) continue;
                    Thread.sleep(random.nextInt(400));
                    worker.kill9();
                    kills.add(want + " seq " + trial.path("seq").asInt());
                    System.out.println("FAULTS: kill -9 #" + kills.size() + " while " + kills.get(kills.size() - 1));
                    worker = new WorkerProcess(coordinator.url, "kill-device", tmp.resolve("worker"), tmp.resolve("worker-" + (++n) + ".log"));
                }
                JsonNode job = FaultJobs.waitFinished(api, jobId, 600_000);
                assertThat(job.path("state").asString()).as(coordinator.tail()).isEqualTo("COMPLETED");
                FaultJobs.Audit audit = FaultJobs.audit(api, jobId, 1);
                System.out.printf("FAULTS: worker kill -9: injected %d (%d mid-build, %d mid-measure), survived %d; trials %d done %d failed %d,"
                                + " lost %d, counted twice %d, max attempts %d; failures %s%n",
                        kills.size(), kills.stream().filter(k -> k.startsWith("BUILDING")).count(),
                        kills.stream().filter(k -> k.startsWith("MEASURING")).count(), audit.lost() == 0 ? kills.size() : 0,
                        audit.trials(), audit.done(), audit.failed(), audit.lost(), audit.duplicated(), audit.maxAttempts(), audit.failures());
                assertThat(kills).as("faults injected").hasSizeGreaterThanOrEqualTo(Math.min(target, 10));
                assertThat(audit.lost()).as("trials lost: " + audit.failures()).isZero();
                assertThat(audit.duplicated()).as("trials counted twice").isZero();
                assertThat(audit.maxAttempts()).as("killed attempts were counted").isGreaterThan(1);
            } finally {
                worker.close();
            }
        }
    }

    private static JsonNode waitFor(CoordinatorClient api, String jobId, String state, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            JsonNode page = api.get("jobs/" + jobId + "/trials?state=" + state + "&size=1");
            if (page.path("items").size() > 0) return page.path("items").get(0);
            if (FaultJobs.finished(FaultJobs.job(api, jobId))) return null;
            Thread.sleep(100);
        }
        return null;
    }
}
