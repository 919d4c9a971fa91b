package dev.frontier.coordinator.system;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

class TokenAuthFilterTest {
    private static FrontierProperties props(String token) {
        return new FrontierProperties(null, null, new FrontierProperties.Auth(token), null, null, null, null);
    }

    private static MockHttpServletResponse run(TokenAuthFilter filter, String uri, String header) throws Exception {
        MockHttpServletRequest req = new MockHttpServletRequest("GET", uri);
        req.setRequestURI(uri);
        if (header != null) req.addHeader("Authorization", header);
        MockHttpServletResponse res = new MockHttpServletResponse();
        filter.doFilter(req, res, new MockFilterChain());
        return res;
    }

    @Test
    void apiNeedsTheBearerTokenWhenOneIsConfigured() throws Exception {
        TokenAuthFilter filter = new TokenAuthFilter(props("s3cret"));
        MockHttpServletResponse denied = run(filter, "/api/v1/jobs", null);
        assertThat(denied.getStatus()).isEqualTo(401);
        assertThat(denied.getContentType()).isEqualTo("application/problem+json");
        assertThat(denied.getContentAsString()).contains("\"status\":401");
        assertThat(run(filter, "/api/v1/jobs", "Bearer wrong").getStatus()).isEqualTo(401);
        assertThat(run(filter, "/api/v1/jobs", "Bearer s3cret").getStatus()).isEqualTo(200);
        assertThat(run(filter, "/actuator/health", null).getStatus()).isEqualTo(200);
    }

    @Test
    void openWithoutAToken() throws Exception {
        assertThat(run(new TokenAuthFilter(props("")), "/api/v1/jobs", null).getStatus()).isEqualTo(200);
    }
}
