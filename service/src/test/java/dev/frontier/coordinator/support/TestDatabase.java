package dev.frontier.coordinator.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Picks the PostgreSQL the tests run against, once per JVM: TEST_DATABASE_URL when set, else a
 * Testcontainers PostgreSQL when a Docker engine answers, else one shared embedded PostgreSQL.
 */
public final class TestDatabase {
    public record Connection(String url, String user, String password, String source) {
    }

    private static Connection connection;

    private TestDatabase() {
    }

    public static synchronized Connection get() {
        if (connection == null) connection = choose();
        return connection;
    }

    private static Connection choose() {
        String url = System.getenv("TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            return new Connection(url, env("TEST_DATABASE_USER", "postgres"), env("TEST_DATABASE_PASSWORD", "postgres"), "TEST_DATABASE_URL");
        }
        if (dockerAvailable()) {
            PostgreSQLContainer pg = new PostgreSQLContainer("postgres:16-alpine");
            pg.start();
            Runtime.getRuntime().addShutdownHook(new Thread(pg::stop));
            return new Connection(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword(), "testcontainers");
        }
        try {
            Path work = Files.createTempDirectory("frontier-test-pg");
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setOverrideWorkingDirectory(work.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is going away anyway
                }
            }));
            return new Connection(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", "embedded");
        } catch (IOException e) {
            throw new IllegalStateException("could not start embedded PostgreSQL", e);
        }
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | Error e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
