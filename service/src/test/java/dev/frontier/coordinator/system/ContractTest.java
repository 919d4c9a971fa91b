package dev.frontier.coordinator.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

import dev.frontier.coordinator.support.Api;
import dev.frontier.coordinator.support.IntegrationTest;
import dev.frontier.coordinator.support.JsonTreeDiff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the running coordinator says its API is must be openapi.yaml, by meaning: paths,
 * operations, parameters, schemas, properties, required lists and every constraint (a description
 * generated from the code once lost nullable, exclusive bounds and maxItems). And the controllers
 * must implement exactly the contract's operations: the generated interfaces make most drift a
 * compile error, this catches the rest (a controller not implementing its interface, an endpoint
 * outside the contract, a stale build).
 */
class ContractTest extends IntegrationTest {
    private static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "delete", "patch");

    @Autowired
    private ApplicationContext context;

    private static Path contractFile() {
        Path file = Path.of("../openapi.yaml");
        return Files.exists(file) ? file : Path.of("openapi.yaml");
    }

    private static JsonNode contract() throws IOException {
        return Api.JSON.valueToTree(new Yaml().load(Files.readString(contractFile())));
    }

    private static void assertSameMeaning(JsonNode served, String what) throws IOException {
        List<String> differences = JsonTreeDiff.between(contract(), served);
        assertThat(differences)
                .as("%s differs from openapi.yaml (expected = openapi.yaml, actual = served):%n  %s", what,
                        String.join(System.lineSeparator() + "  ", differences))
                .isEmpty();
    }

    @Test
    void servedDescriptionIsTheContract() throws IOException {
        Api.Response docs = api.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.contentType()).startsWith("application/json");
        assertSameMeaning(docs.json(), "/v3/api-docs");
    }

    @Test
    void servedYamlIsTheContract() throws IOException {
        Api.Response docs = api.get("/v3/api-docs.yaml");
        assertThat(docs.status()).isEqualTo(200);
        assertSameMeaning(Api.JSON.valueToTree(new Yaml().load(docs.body())), "/v3/api-docs.yaml");
    }

    @Test
    @SuppressWarnings("unchecked")
    void controllersImplementExactlyTheContractOperations() throws IOException {
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) ((Map<String, Object>) new Yaml()
                .load(Files.readString(contractFile()))).get("paths");
        Set<String> expected = new TreeSet<>();
        paths.forEach((path, ops) -> ops.keySet().stream().filter(HTTP_METHODS::contains)
                .forEach(m -> expected.add(m.toUpperCase() + " " + path)));

        Set<String> implemented = new TreeSet<>();
        for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                for (String path : info.getPatternValues()) {
                    if (!path.startsWith("/api/")) continue;
                    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                    if (methods.isEmpty()) implemented.add("ANY " + path);
                    methods.forEach(m -> implemented.add(m.name() + " " + path));
                }
            }
        }
        assertThat(implemented).isEqualTo(expected);
    }

    @Test
    void swaggerUiShowsTheContract() {
        Api.Response page = api.get("/swagger-ui.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("v3/api-docs").contains("webjars/swagger-ui/swagger-ui-bundle.js");
        assertThat(api.get("/webjars/swagger-ui/swagger-ui-bundle.js").status()).isEqualTo(200);
        assertThat(api.get("/webjars/swagger-ui/swagger-ui.css").status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/readiness").status()).isEqualTo(200);
        Api.Response prom = api.get("/actuator/prometheus");
        assertThat(prom.status()).isEqualTo(200);
        assertThat(prom.body()).contains("http_server_requests");
    }
}
