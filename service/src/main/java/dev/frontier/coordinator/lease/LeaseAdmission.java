package dev.frontier.coordinator.lease;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.frontier.coordinator.system.FrontierProperties;
import dev.frontier.coordinator.system.ProblemResponse;

/**
 * Admission control for the lease protocol (claim, heartbeat, complete, fail): at most
 * {@code frontier.lease.max-concurrent} of these requests do their work at once; the others wait,
 * parked, in arrival order (a fair semaphore).
 *
 * <p>Why: with one request thread per worker, 64 workers meant 64 runnable threads fighting for two
 * cores and twelve pooled connections, and whoever happened to be scheduled won: the median was
 * fine but the unlucky requests waited far longer (lease benchmark, 64 workers flat out: p99 166 ms,
 * 8x the median; 69 ms, 1.8x, with this gate). Queued in order, every request waits about the same.
 * The filter runs before authentication and the body's parsing, so those are in order too (they
 * are a good part of a request's CPU). A long-poll gives its place up while it sleeps
 * ({@link #waitOutside}). A request that cannot get in within {@code admission-wait} gets 503 with
 * Retry-After, which the worker agent retries.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class LeaseAdmission extends OncePerRequestFilter {
    /** A wait that may be interrupted, run with the place given up. */
    interface Wait {
        void run() throws InterruptedException;
    }

    private final Semaphore places;
    private final long waitNanos;
    private final ThreadLocal<Boolean> holding = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final Counter refused;

    LeaseAdmission(FrontierProperties props, MeterRegistry meters) {
        this.places = new Semaphore(props.lease().maxConcurrent(), true);
        this.waitNanos = props.lease().admissionWait().toNanos();
        Gauge.builder("frontier.lease.admission.queued", places, Semaphore::getQueueLength)
                .description("lease requests waiting for a place").register(meters);
        this.refused = Counter.builder("frontier.lease.admission.refused")
                .description("lease requests answered 503 after waiting admission-wait").register(meters);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !request.getRequestURI().startsWith(request.getContextPath() + "/api/v1/leases");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            if (!places.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                refused.increment();
                response.setHeader("Retry-After", "1");
                ProblemResponse.write(request, response, HttpStatus.SERVICE_UNAVAILABLE,
                        "the coordinator is overloaded: this lease request waited longer than frontier.lease.admission-wait; retry");
                return;
            }
        } catch (InterruptedException e) {
            // the server is shutting down
            Thread.currentThread().interrupt();
            ProblemResponse.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "the coordinator is shutting down; retry");
            return;
        }
        holding.set(Boolean.TRUE);
        try {
            chain.doFilter(request, response);
        } finally {
            if (holding.get()) places.release();
            holding.remove();
        }
    }

    /**
     * Runs {@code wait} without holding a place, so a long-poll that finds nothing to claim does not keep
     * others out while it sleeps; takes a place again (at the back of the queue) before returning.
     */
    void waitOutside(Wait wait) throws InterruptedException {
        boolean held = holding.get();
        if (held) {
            places.release();
            holding.set(Boolean.FALSE);
        }
        try {
            wait.run();
        } finally {
            if (held) {
                places.acquireUninterruptibly();
                holding.set(Boolean.TRUE);
            }
        }
    }
}
