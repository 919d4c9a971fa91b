package dev.frontier.coordinator.system;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * An RFC 7807 problem written straight to the servlet response, for refusals made in filters, before
 * a controller and so before {@link ProblemAdvice} could answer.
 */
public final class ProblemResponse {
    private ProblemResponse() {
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        write(request, response, status, detail, null);
    }

    /** With the request part at fault ({@code field}, as {@link ProblemAdvice} names it), when there is one. */
    public static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail, String field)
            throws IOException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "about:blank");
        p.put("title", status.getReasonPhrase());
        p.put("status", status.value());
        p.put("detail", detail);
        p.put("instance", safePath(request.getRequestURI()));
        if (field != null) p.put("field", field);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(Json.write(p));
    }

    private static String safePath(String uri) {
        try {
            return java.net.URI.create(uri).getRawPath();
        } catch (IllegalArgumentException e) {
            return "/";
        }
    }
}
