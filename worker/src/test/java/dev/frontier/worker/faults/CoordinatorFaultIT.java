package dev.frontier.worker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.frontier.worker.agent.CoordinatorClient;
import tools.jackson.databind.JsonNode;

/**
 * One worker process reaches the coordinator only through a proxy that delays every chunk, refuses
 * some connections and cuts others mid-transfer. During the job the coordinator is killed with -9
 * (its PostgreSQL with it, like a host crash) and started again on the same data directory and port,
 * then PostgreSQL alone is restarted under the running coordinator. The job completes, nothing lost.
 */
class CoordinatorFaultIT {
    @Test
    @Timeout(1500)
    void jobSurvivesCoordinatorKillPostgresRestartAndAFlakyLink(@TempDir Path tmp) throws Exception {
        assumeThat(Coordinator.JAR).as("service jar (built by the reactor)").exists();
        assumeThat(WorkerProcess.JAR).as("worker jar (package phase, before integration tests)").exists();
        int faults = 0;
        try (Coordinator coordinator = new Coordinator(tmp.resolve("coordinator"), FaultJobs.fastLeases()).start();
             FlakyProxy proxy = new FlakyProxy(coordinator.port, 0.08, 0.02, 40)) {
            CoordinatorClient api = new CoordinatorClient(coordinator.url, Coordinator.ADMIN_TOKEN);
            String device = FaultJobs.device(api, "link-device");
            String jobId = FaultJobs.submit(api, device, 8);
            try (WorkerProcess worker = new WorkerProcess(proxy.url(), "link-device", tmp.resolve("worker"), tmp.resolve("worker.log"))) {
                waitDone(api, jobId, 2, 600_000);

                // the coordinator and its database die together, mid-job, and come back on the same state
                coordinator.kill9();
                coordinator.pgCtl("stop", "-m", "immediate", "-w");
                faults++;
                System.out.println("FAULTS: coordinator killed -9 (PostgreSQL stopped -m immediate) with "
                        + "trials in flight; restarting");
                Thread.sleep(3000);
                coordinator.start();
                JsonNode afterRestart = FaultJobs.job(api, jobId);
                assertThat(afterRestart.path("state").asString()).isIn("RUNNING", "COMPLETED");
                int doneBefore = FaultJobs.countDone(api, jobId);

                // PostgreSQL restarts under the running coordinator, which must reconnect by itself
                if (!FaultJobs.finished(afterRestart)) {
                    waitDone(api, jobId, doneBefore + 1, 600_000);
                    assertThat(coordinator.pgCtl("restart", "-m", "fast", "-w")).as("pg_ctl restart").isZero();
                    faults++;
                    System.out.println("FAULTS: PostgreSQL restarted under the running coordinator");
                }

                JsonNode job = FaultJobs.waitFinished(api, jobId, 900_000);
                assertThat(job.path("state").asString()).as(coordinator.tail()).isEqualTo("COMPLETED");
                assertThat(worker.alive()).as("the same worker rode through every fault").isTrue();
                FaultJobs.Audit audit = FaultJobs.audit(api, jobId, 1);
                System.out.printf("FAULTS: coordinator kill -9 + PostgreSQL restart: injected %d, survived %d; flaky link: %d connections,"
                                + " %d refused, %d cut; trials %d done %d failed %d, lost %d, counted twice %d; failures %s%n",
                        faults, audit.lost() == 0 ? faults : 0, proxy.connections.get(), proxy.refused.get(), proxy.cuts.get(),
                        audit.trials(), audit.done(), audit.failed(), audit.lost(), audit.duplicated(), audit.failures());
                assertThat(audit.lost()).as("trials lost: " + audit.failures()).isZero();
                assertThat(audit.duplicated()).as("trials counted twice").isZero();
                assertThat(proxy.refused.get() + proxy.cuts.get()).as("the link really dropped connections").isPositive();
            }
        }
    }

    private static void waitDone(CoordinatorClient api, String jobId, int done, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline && FaultJobs.countDone(api, jobId) < done
                && !FaultJobs.finished(FaultJobs.job(api, jobId))) {
            Thread.sleep(500);
        }
    }
}
