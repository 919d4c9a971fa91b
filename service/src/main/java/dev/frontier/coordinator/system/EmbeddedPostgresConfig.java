package dev.frontier.coordinator.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * With no datasource configured the coordinator runs its own PostgreSQL, keeping the data under
 * {@code FRONTIER_DATA_DIR/pg}, so {@code java -jar} just works and a restart keeps the jobs.
 * Setting {@code SPRING_DATASOURCE_URL} turns this off and Boot's own datasource takes over.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfig.NoDatasourceUrl.class)
class EmbeddedPostgresConfig {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfig.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(FrontierProperties props) throws IOException {
        Path dataDir = Path.of(props.dataDir()).toAbsolutePath();
        log.info("no spring.datasource.url: starting embedded PostgreSQL in {}", dataDir.resolve("pg"));
        return EmbeddedDatabase.start(dataDir, 0);
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres pg) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
        ds.setUsername("postgres");
        ds.setPassword("postgres");
        return ds;
    }

    static final class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String url = context.getEnvironment().getProperty("spring.datasource.url");
            return url == null || url.isBlank();
        }
    }

    /** Starting the server on a kept directory, shared with the restart test. */
    public static final class EmbeddedDatabase {
        private EmbeddedDatabase() {
        }

        public static EmbeddedPostgres start(Path dataDir, int port) throws IOException {
            Path pg = dataDir.resolve("pg");
            Path work = dataDir.resolve("pg-runtime");
            Files.createDirectories(pg);
            Files.createDirectories(work);
            stopOrphanedServer(pg);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pg)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(work.toFile())
                    // crash recovery of a kept directory can take a while on a busy machine
                    .setPGStartupWait(java.time.Duration.ofSeconds(120))
                    .setServerConfig("max_connections", "100");
            if (port > 0) builder.setPort(port);
            return builder.start();
        }

        /**
         * The server is not a child of the JVM, so a coordinator killed with -9 leaves it running on the
         * data directory, and the next start would fail on its lock. Its clients died with the old
         * coordinator, so a smart shutdown (SIGTERM) ends it cleanly; only a server that ignores that
         * for a minute is killed, and PostgreSQL's crash recovery takes over at the next start.
         */
        static void stopOrphanedServer(Path pg) throws IOException {
            Path pidFile = pg.resolve("postmaster.pid");
            if (!Files.isRegularFile(pidFile)) return;
            long pid;
            try {
                pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            } catch (RuntimeException e) {
                return; // unreadable: PostgreSQL itself judges a stale lock file
            }
            java.util.Optional<ProcessHandle> server = ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().command().map(c -> c.endsWith("postgres")).orElse(false));
            if (server.isEmpty()) return;
            log.warn("PostgreSQL (pid {}) left running on {} by a coordinator that did not stop cleanly; stopping it", pid, pg);
            server.get().destroy();
            try {
                server.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                server.get().destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("cannot stop the orphaned PostgreSQL " + pid, e);
            }
        }
    }
}
