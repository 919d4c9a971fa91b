package dev.frontier.coordinator.bench;

import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The embedded PostgreSQL binaries run as a server of their own, for the scale test on a machine
 * without a system PostgreSQL: several coordinator processes then share it like a real one.
 * Arguments: DATA_DIR PORT. Prints "ready" once it accepts connections; stops it when killed.
 */
public final class StandalonePostgres {
    private StandalonePostgres() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        java.nio.file.Files.createDirectories(dir.resolve("pg"));
        java.nio.file.Files.createDirectories(dir.resolve("runtime"));
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("pg"))
                .setOverrideWorkingDirectory(dir.resolve("runtime").toFile())
                .setPort(Integer.parseInt(args[1]))
                .setServerConfig("max_connections", "100")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (java.io.IOException e) {
                System.err.println("stopping PostgreSQL: " + e);
            }
        }));
        System.out.println("ready " + pg.getJdbcUrl("postgres", "postgres"));
        Thread.currentThread().join();
    }
}
