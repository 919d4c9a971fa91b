package dev.frontier.coordinator.support;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of every test that needs the running coordinator. One configuration for all of them so
 * Spring caches a single context (a context costs ~20 s on two cores).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class IntegrationTest {
    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcTemplate jdbc;
    protected Api api;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.Connection c = TestDatabase.get();
        registry.add("spring.datasource.url", c::url);
        registry.add("spring.datasource.username", c::user);
        registry.add("spring.datasource.password", c::password);
    }

    @BeforeEach
    void isolateQueue() {
        api = new Api(port);
        // tests share one database: leftovers of earlier tests must not be claimable by this one
        jdbc.update("UPDATE task SET state = 'CANCELLED' WHERE state IN ('QUEUED', 'LEASED')");
        jdbc.update("UPDATE lease SET state = 'EXPIRED' WHERE state = 'ACTIVE'");
    }

    protected static final Map<String, Object> PROFILE = dev.frontier.coordinator.support.TestProfiles.withRegistry(Map.of(
            "params", 100_000, "macs", 2_000_000, "inputShape", List.of(1, 28, 28),
            "layers", List.of(
                    Map.of("name", "conv1", "op", "conv2d", "kernel", List.of(3, 3), "params", 288, "prunable", List.of("pattern", "connectivity", "filter", "unstructured", "block")),
                    Map.of("name", "conv2", "op", "conv2d", "kernel", List.of(3, 3), "params", 18_432, "prunable", List.of("pattern", "connectivity", "filter", "unstructured", "block")),
                    Map.of("name", "fc1", "op", "linear", "params", 80_000, "prunable", List.of("block", "filter", "unstructured")),
                    Map.of("name", "relu1", "op", "relu", "params", 0))));

    protected UUID device(String name) {
        Api.Response r = api.post("/api/v1/devices", Map.of("name", name, "hardware", Map.of("cores", 2, "arch", "x86_64")));
        assertThat(r.status()).isEqualTo(201);
        return r.id();
    }

    protected UUID worker(String name, UUID deviceId, String... roles) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "roles", List.of(roles)));
        if (deviceId != null) body.put("deviceId", deviceId.toString());
        Api.Response r = api.post("/api/v1/workers", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.id();
    }

    protected UUID model(String name) {
        Api.Response r = api.multipart("/api/v1/models", Map.of("name", name, "format", "frontier-ir", "inputShape", "1,28,28"),
                ("model " + name + " " + UUID.randomUUID()).getBytes());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.id();
    }

    protected String artifact(String content) {
        Api.Response r = api.postBytes("/api/v1/artifacts", content.getBytes());
        assertThat(r.status()).isEqualTo(201);
        return r.text("sha256");
    }

    protected Api.Response lease(UUID workerId, int max) {
        Api.Response r = api.post("/api/v1/leases", Map.of("workerId", workerId.toString(), "max", max));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }
}
