package dev.frontier.coordinator.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import dev.frontier.coordinator.FrontierApplication;
import dev.frontier.coordinator.support.IntegrationTest;
import dev.frontier.coordinator.support.TestDatabase;

/**
 * A second coordinator instance on the same database: a scheduled duty (search step, lease reaper)
 * held by one replica is skipped by the other, and runs there once the first lets go.
 */
class TwoReplicasTest extends IntegrationTest {
    @Autowired
    ClusterLock first;

    @Test
    void aDutyRunsOnOneReplicaAtATime() throws Exception {
        TestDatabase.Connection db = TestDatabase.get();
        try (ConfigurableApplicationContext replica = new SpringApplicationBuilder(FrontierApplication.class)
                .profiles("test")
                .properties("server.port=0", "spring.datasource.url=" + db.url(),
                        "spring.datasource.username=" + db.user(), "spring.datasource.password=" + db.password())
                // a command-line argument: application.yml's ${SERVER_PORT:8080} outranks default properties,
                // so the replica would fight whatever holds 8080 (e.g. a running demo)
                .run("--server.port=0")) {
            ClusterLock second = replica.getBean(ClusterLock.class);
            assertThat(second).isNotSameAs(first);

            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread t = new Thread(() -> first.runExclusively("search-step", () -> {
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            t.start();
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

            AtomicBoolean ran = new AtomicBoolean();
            assertThat(second.runExclusively("search-step", () -> ran.set(true))).isFalse();
            assertThat(ran).isFalse();
            assertThat(second.runExclusively("lease-reaper", () -> ran.set(true))).as("other duties are free").isTrue();

            release.countDown();
            t.join(30_000);
            ran.set(false);
            assertThat(second.runExclusively("search-step", () -> ran.set(true))).isTrue();
            assertThat(ran).isTrue();
        }
    }
}
