package dev.frontier.coordinator.access;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import dev.frontier.coordinator.system.ProblemResponse;

/** 401, 403 and firewall refusals as RFC 7807 problems, like every other error of the API. */
final class AccessProblems implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {
    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer");
        ProblemResponse.write(request, response, HttpStatus.UNAUTHORIZED,
                "this endpoint needs 'Authorization: Bearer <token>' with a valid, unrevoked Frontier API token");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        String role = Callers.current().map(c -> c.isEnrollment() ? "enrollment (unbound worker)" : c.role().getValue()).orElse("this");
        ProblemResponse.write(request, response, HttpStatus.FORBIDDEN, "a " + role + " token may not " + request.getMethod() + " " + request.getRequestURI());
    }

    /** The firewall's refusals (path traversal, encoded '%', control characters) are client mistakes too. */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e) throws IOException {
        ProblemResponse.write(request, response, HttpStatus.BAD_REQUEST,
                "the URL was refused: it contains a segment or character the API does not accept (such as '..', an encoded '%' or a control character)");
    }
}
