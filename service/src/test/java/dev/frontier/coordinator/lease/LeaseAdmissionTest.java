package dev.frontier.coordinator.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.FilterChain;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.frontier.coordinator.system.FrontierProperties;

/** The admission gate on its own: places, the 503 when none frees up in time, and long-polls giving theirs up. */
class LeaseAdmissionTest {
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private LeaseAdmission gate(int places, Duration wait) {
        FrontierProperties props = new FrontierProperties(null, null, null,
                new FrontierProperties.Lease(null, 0, null, null, places, wait), null, null, null);
        return new LeaseAdmission(props, meters);
    }

    private static MockHttpServletRequest leaseRequest() {
        return new MockHttpServletRequest("POST", "/api/v1/leases");
    }

    /** Runs a request through the gate on another thread; the chain blocks until {@code release} opens. */
    private Future<MockHttpServletResponse> hold(LeaseAdmission gate, CountDownLatch inside, CountDownLatch release) {
        return pool.submit(() -> {
            MockHttpServletResponse response = new MockHttpServletResponse();
            FilterChain chain = (req, res) -> {
                inside.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            gate.doFilter(leaseRequest(), response, chain);
            return response;
        });
    }

    @Test
    void aFullGateRefusesWith503AfterTheWaitAndFreesThePlaceAfterwards() throws Exception {
        LeaseAdmission gate = gate(1, Duration.ofMillis(100));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<MockHttpServletResponse> first = hold(gate, inside, release);
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();

        MockHttpServletResponse refused = new MockHttpServletResponse();
        AtomicBoolean ran = new AtomicBoolean();
        gate.doFilter(leaseRequest(), refused, (req, res) -> ran.set(true));
        assertThat(ran).isFalse();
        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getContentType()).startsWith("application/problem+json");
        assertThat(refused.getContentAsString()).contains("\"status\":503").contains("admission-wait");
        assertThat(meters.counter("frontier.lease.admission.refused").count()).isEqualTo(1.0);

        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        MockHttpServletResponse after = new MockHttpServletResponse();
        gate.doFilter(leaseRequest(), after, (req, res) -> ran.set(true));
        assertThat(ran).isTrue();
        assertThat(after.getStatus()).isEqualTo(200);
    }

    @Test
    void aLongPollGivesItsPlaceUpWhileItWaits() throws Exception {
        LeaseAdmission gate = gate(1, Duration.ofSeconds(2));
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch wake = new CountDownLatch(1);
        Future<MockHttpServletResponse> poll = pool.submit(() -> {
            MockHttpServletResponse response = new MockHttpServletResponse();
            gate.doFilter(leaseRequest(), response, (req, res) -> {
                try {
                    gate.waitOutside(() -> {
                        waiting.countDown();
                        wake.await();
                    });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return response;
        });
        assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();

        MockHttpServletResponse other = new MockHttpServletResponse();
        AtomicBoolean ran = new AtomicBoolean();
        gate.doFilter(leaseRequest(), other, (req, res) -> ran.set(true));
        assertThat(ran).as("a request gets in while the only place's holder long-polls").isTrue();

        wake.countDown();
        assertThat(poll.get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
    }

    @Test
    void onlyLeaseRequestsAreGated() throws Exception {
        LeaseAdmission gate = gate(1, Duration.ofMillis(50));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        hold(gate, inside, release);
        assertThat(inside.await(5, TimeUnit.SECONDS)).isTrue();
        for (MockHttpServletRequest r : List.of(new MockHttpServletRequest("GET", "/api/v1/jobs"),
                new MockHttpServletRequest("POST", "/api/v1/jobs"), new MockHttpServletRequest("GET", "/api/v1/leases"))) {
            AtomicBoolean ran = new AtomicBoolean();
            gate.doFilter(r, new MockHttpServletResponse(), (req, res) -> ran.set(true));
            assertThat(ran).as(r.getMethod() + " " + r.getRequestURI()).isTrue();
        }
        release.countDown();
    }
}
