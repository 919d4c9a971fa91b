package dev.frontier.coordinator.access;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The served API description declares the bearer scheme of openapi.yaml, so Swagger UI's
 * "Authorize" button can send a token with "Try it out".
 */
@Configuration
class ApiDocsSecurity {
    static final String SCHEME = "bearerAuth";

    @Bean
    OpenAPI bearerTokenDocs() {
        return new OpenAPI()
                .components(new Components().addSecuritySchemes(SCHEME,
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("a Frontier API token (frt_...); see README, Access control")))
                .addSecurityItem(new SecurityRequirement().addList(SCHEME));
    }
}
