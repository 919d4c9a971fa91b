package dev.frontier.coordinator.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Raw (octet-stream) bodies are buffered whole by Spring before a controller sees them, so an
 * announced oversized body is refused here with 413 before any byte is read.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class UploadLimitFilter extends OncePerRequestFilter {
    private final long maxBytes;

    UploadLimitFilter(FrontierProperties props) {
        // multipart envelopes add a little on top of the file itself
        this.maxBytes = props.maxUpload().toBytes() + 64 * 1024;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            ProblemResponse.write(request, response, HttpStatus.PAYLOAD_TOO_LARGE,
                    "request body exceeds the upload limit (FRONTIER_MAX_UPLOAD)", "body");
            return;
        }
        chain.doFilter(request, response);
    }
}
