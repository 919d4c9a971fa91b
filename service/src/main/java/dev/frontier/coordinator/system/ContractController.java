package dev.frontier.coordinator.system;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves openapi.yaml, the contract the controllers' interfaces are generated from, as the API
 * description: JSON at /v3/api-docs (what Swagger UI and the dashboard read), the file itself at
 * /v3/api-docs.yaml. A description generated from the code drifted from the contract in what Java
 * types cannot say (nullable, exclusive bounds, maxItems); serving the contract leaves one source of
 * truth, and ContractTest checks that the controllers implement exactly its operations.
 */
@RestController
class ContractController {
    /** Where the build puts openapi.yaml (service/pom.xml, resources). */
    static final String LOCATION = "contract/openapi.yaml";

    private final byte[] yaml;
    private final byte[] json;

    ContractController() throws IOException {
        try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
            yaml = in.readAllBytes();
        }
        Object tree = new Yaml().load(new String(yaml, StandardCharsets.UTF_8));
        // a plain mapper: the application's leaves out nulls, and a null in the contract means something
        json = JsonMapper.builder().build().writeValueAsBytes(tree);
    }

    @GetMapping("/v3/api-docs")
    ResponseEntity<byte[]> json() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
    }

    @GetMapping("/v3/api-docs.yaml")
    ResponseEntity<byte[]> yaml() {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml;charset=UTF-8")).body(yaml);
    }
}
