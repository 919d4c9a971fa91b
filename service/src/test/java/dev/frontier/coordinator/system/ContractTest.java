package dev.frontier.coordinator.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import dev.frontier.coordinator.support.Api;
import dev.frontier.coordinator.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served API (springdoc's view of the running controllers) must match openapi.yaml: every
 * path and method, and every schema of the contract. The generated interfaces already make most
 * drift a compile error; this catches the rest (a controller not implementing its interface, an
 * extra endpoint outside the contract, a stale build).
 */
class ContractTest extends IntegrationTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> contract() throws IOException {
        Path file = Path.of("../openapi.yaml");
        if (!Files.exists(file)) file = Path.of("openapi.yaml");
        return new Yaml().load(Files.readString(file));
    }

    @Test
    @SuppressWarnings("unchecked")
    void servedOperationsAreExactlyTheContractOperations() throws IOException {
        Set<String> expected = new TreeSet<>();
        ((Map<String, Map<String, Object>>) contract().get("paths")).forEach((path, ops) -> ops.keySet().stream()
                .filter(m -> Set.of("get", "post", "put", "delete", "patch").contains(m))
                .forEach(m -> expected.add(m.toUpperCase() + " " + path)));

        Api.Response docs = api.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        Set<String> served = new TreeSet<>();
        JsonNode paths = docs.json().path("paths");
        for (String path : paths.propertyNames()) {
            if (!path.startsWith("/api/")) continue;
            for (String method : paths.path(path).propertyNames()) served.add(method.toUpperCase() + " " + path);
        }
        assertThat(served).isEqualTo(expected);
    }

    @Test
    @SuppressWarnings("unchecked")
    void servedSchemasCoverTheContractSchemas() throws IOException {
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) contract().get("components")).get("schemas");
        JsonNode served = api.get("/v3/api-docs").json().path("components").path("schemas");
        Set<String> servedNames = new TreeSet<>(served.propertyNames());
        // every request/response body schema the controllers use is present with the same properties
        for (String name : Set.of("JobRequest", "Job", "Trial", "Lease", "LeaseRequest", "LeaseCompletion", "LeaseFailure",
                "Frontier", "Device", "Worker", "Model")) {
            assertThat(servedNames).as("schema " + name).contains(name);
            Set<String> expectedProps = new TreeSet<>(((Map<String, Object>) ((Map<String, Object>) schemas.get(name)).get("properties")).keySet());
            Set<String> servedProps = new TreeSet<>(served.path(name).path("properties").propertyNames());
            assertThat(servedProps).as("properties of " + name).isEqualTo(expectedProps);
        }
    }

    @Test
    void swaggerUiIsServed() {
        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
        Api.Response prom = api.get("/actuator/prometheus");
        assertThat(prom.status()).isEqualTo(200);
        assertThat(prom.body()).contains("http_server_requests");
    }
}
