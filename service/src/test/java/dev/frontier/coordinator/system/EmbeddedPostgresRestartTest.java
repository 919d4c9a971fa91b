package dev.frontier.coordinator.system;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded default keeps its data directory: what one run wrote, the next run reads. */
class EmbeddedPostgresRestartTest {

    @Test
    void dataSurvivesARestartOnTheSameDirectory(@TempDir Path dataDir) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgresConfig.EmbeddedDatabase.start(dataDir, 0);
             Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v TEXT)");
            s.execute("INSERT INTO kept VALUES ('job-1')");
        }
        assertThat(dataDir.resolve("pg").resolve("PG_VERSION")).exists();
        try (EmbeddedPostgres pg = EmbeddedPostgresConfig.EmbeddedDatabase.start(dataDir, 0);
             Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("job-1");
        }
    }
}
