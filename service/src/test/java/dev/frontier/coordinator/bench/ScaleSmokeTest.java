package dev.frontier.coordinator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.frontier.coordinator.FrontierApplication;
import dev.frontier.coordinator.support.IntegrationTest;
import dev.frontier.coordinator.support.TestDatabase;

/**
 * The scale test (service/scale-test.sh) in miniature, in the suite: two coordinator replicas on the
 * test database, a few simulated workers for a few seconds, and the same database checks (no task
 * leased twice at once, every acknowledged result stored once, every trial accounted for).
 */
class ScaleSmokeTest extends IntegrationTest {

    @Test
    void twoReplicasServeSimulatedWorkersWithoutDoubleLeasesOrLostResults() throws Exception {
        TestDatabase.Connection db = TestDatabase.get();
        // the suite's context does not run scheduled duties; this replica steps the searches and reaps leases
        try (ConfigurableApplicationContext replica = new SpringApplicationBuilder(FrontierApplication.class)
                .profiles("test")
                // arguments, not builder properties: those rank below application-test.yml, which turns scheduling off
                .run("--server.port=0", "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.user(),
                        "--spring.datasource.password=" + db.password(), "--frontier.scheduling.enabled=true",
                        "--frontier.search.step-interval=200ms", "--frontier.search.max-in-flight=8");
                Connection jdbc = DriverManager.getConnection(db.url(), db.user(), db.password())) {
            int replicaPort = Integer.parseInt(replica.getEnvironment().getProperty("local.server.port"));
            List<URI> coordinators = List.of(URI.create("http://127.0.0.1:" + port), URI.create("http://127.0.0.1:" + replicaPort));
            ScaleLoadGenerator generator = new ScaleLoadGenerator(coordinators, "test-admin-token", null);
            int failures = generator.run(new int[] {2, 6}, 3, 0, 8, 0.0, new ProcessCpu(new long[0], new long[0]), jdbc);
            assertThat(failures).as("failed checks (see the output above)").isZero();
            assertThat(generator.completedLeases()).as("the workers got work done").isGreaterThan(10);
        }
    }
}
