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
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pg)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(work.toFile())
                    .setServerConfig("max_connections", "100");
            if (port > 0) builder.setPort(port);
            return builder.start();
        }
    }
}
