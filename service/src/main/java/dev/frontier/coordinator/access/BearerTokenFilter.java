package dev.frontier.coordinator.access;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.frontier.coordinator.system.ProblemResponse;

/**
 * Turns {@code Authorization: Bearer <token>} into the request's {@link Caller}. A request without
 * the header goes on anonymous (the URL rules decide); a header with an unknown or revoked token is
 * refused here, so a mistyped token never silently acts as anonymous.
 */
final class BearerTokenFilter extends OncePerRequestFilter {
    private static final String BEARER = "Bearer ";
    private final ApiTokenService tokens;

    BearerTokenFilter(ApiTokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        Optional<Caller> caller = header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? tokens.authenticate(header.substring(BEARER.length()).strip())
                : Optional.empty();
        if (caller.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            ProblemResponse.write(request, response, HttpStatus.UNAUTHORIZED,
                    "the bearer token is unknown or revoked (the header must be 'Authorization: Bearer <token>')");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new TokenAuthentication(caller.get()));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
