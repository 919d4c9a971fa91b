package dev.frontier.coordinator.access;

import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import dev.frontier.coordinator.system.FrontierProperties;

import static dev.frontier.coordinator.access.Caller.ADMIN;
import static dev.frontier.coordinator.access.Caller.AGENT;
import static dev.frontier.coordinator.access.Caller.MEMBER;
import static dev.frontier.coordinator.access.Caller.WORKER;

/**
 * Who may call what. Stateless bearer tokens only: no sessions, no cookies (so no CSRF surface),
 * no password logins. The dashboard, the API description and the health probes are public; every
 * /api/** call needs a token. The rules are by role; "a worker acts only for itself" is checked
 * per request by {@link Callers#requireActingFor}.
 */
@Configuration
class SecurityConfig {

    @Bean
    SecurityFilterChain api(HttpSecurity http, ApiTokenService tokens, FrontierProperties props, AccessProblems problems,
            @Value("${management.server.port:-1}") int managementPort) throws Exception {
        // a separate management port (Kubernetes: 8081) is never routed by the Ingress and is
        // closed to all but the monitoring namespace by a NetworkPolicy: Prometheus scrapes it bare
        RequestMatcher onManagementPort = request -> managementPort > 0 && request.getLocalPort() == managementPort;
        http.csrf(c -> c.disable())
                .httpBasic(b -> b.disable())
                .formLogin(f -> f.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .cors(c -> c.configurationSource(cors(props.auth().corsOrigins())))
                .addFilterBefore(new BearerTokenFilter(tokens), AnonymousAuthenticationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(onManagementPort).permitAll()
                        .requestMatchers("/actuator/**").hasRole(ADMIN)
                        .requestMatchers("/api/v1/tokens", "/api/v1/tokens/**").hasRole(ADMIN)
                        .requestMatchers(HttpMethod.GET, "/api/v1/me").authenticated()
                        // agents register themselves and their device, with an enrollment or a worker token
                        .requestMatchers(HttpMethod.POST, "/api/v1/workers").hasAnyRole(ADMIN, AGENT)
                        .requestMatchers(HttpMethod.POST, "/api/v1/devices", "/api/v1/devices/*/heartbeat").hasAnyRole(ADMIN, AGENT)
                        .requestMatchers(HttpMethod.GET, "/api/v1/devices", "/api/v1/devices/**").hasAnyRole(ADMIN, MEMBER, AGENT)
                        .requestMatchers("/api/v1/devices/**").hasRole(ADMIN)
                        .requestMatchers("/api/v1/leases", "/api/v1/leases/**").hasAnyRole(ADMIN, WORKER)
                        .requestMatchers(HttpMethod.POST, "/api/v1/artifacts").hasAnyRole(ADMIN, WORKER)
                        .requestMatchers(HttpMethod.PUT, "/api/v1/artifacts/*").hasAnyRole(ADMIN, WORKER)
                        .requestMatchers(HttpMethod.GET, "/api/v1/workers").hasAnyRole(ADMIN, MEMBER)
                        .requestMatchers(HttpMethod.GET, "/api/**").hasAnyRole(ADMIN, MEMBER, WORKER)
                        // models, datasets, jobs, gates: what users do
                        .requestMatchers("/api/**").hasAnyRole(ADMIN, MEMBER)
                        .anyRequest().permitAll());
        return http.build();
    }

    /** 401, 403 and the firewall's refusals (picked up as the RequestRejectedHandler) as problems. */
    @Bean
    AccessProblems accessProblems() {
        return new AccessProblems();
    }

    /** Password logins do not exist here; this also keeps Boot from creating a default user. */
    @Bean
    AuthenticationManager noPasswordLogins() {
        return authentication -> {
            throw new ProviderNotFoundException("Frontier authenticates API tokens only");
        };
    }

    /** Closed unless origins are configured (FRONTIER_CORS_ORIGINS): the dashboard is same-origin. */
    static UrlBasedCorsConfigurationSource cors(List<String> origins) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!origins.isEmpty()) {
            CorsConfiguration c = new CorsConfiguration();
            c.setAllowedOrigins(origins);
            c.setAllowedMethods(List.of("GET", "POST", "PUT", "DELETE"));
            c.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept"));
            c.setMaxAge(3600L);
            source.registerCorsConfiguration("/api/**", c);
        }
        return source;
    }
}
