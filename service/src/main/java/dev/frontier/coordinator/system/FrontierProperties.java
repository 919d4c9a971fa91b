package dev.frontier.coordinator.system;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Every knob of the coordinator, bound from application.yml (prefix {@code frontier}). */
@ConfigurationProperties(prefix = "frontier")
public record FrontierProperties(
        String dataDir,
        DataSize maxUpload,
        Auth auth,
        Lease lease,
        Search search,
        Device device,
        Scheduling scheduling) {

    public FrontierProperties {
        if (dataDir == null || dataDir.isBlank()) dataDir = "./data";
        if (maxUpload == null) maxUpload = DataSize.ofMegabytes(64);
        if (auth == null) auth = new Auth(null, null, null, null);
        if (lease == null) lease = new Lease(null, 0, null, null, 0, null);
        if (search == null) search = new Search(null, 0);
        if (device == null) device = new Device(null);
        if (scheduling == null) scheduling = new Scheduling(true);
    }

    /**
     * Access control. {@code adminToken} (FRONTIER_ADMIN_TOKEN) and {@code workerToken}
     * (FRONTIER_WORKER_TOKEN, an enrollment token for agents) are made valid at start; without an
     * admin token and with no admin in the database, one is generated and printed once.
     */
    public record Auth(String adminToken, String workerToken, List<String> corsOrigins, Duration cacheTtl) {
        public Auth {
            adminToken = blankToNull(adminToken);
            workerToken = blankToNull(workerToken);
            corsOrigins = corsOrigins == null ? List.of() : corsOrigins.stream().map(String::strip).filter(o -> !o.isEmpty()).toList();
            if (cacheTtl == null) cacheTtl = Duration.ofSeconds(10);
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }

    /**
     * {@code maxConcurrent}: lease requests doing their work at once (the rest queue in arrival order,
     * {@code LeaseAdmission}); 0 = twice the cores. {@code admissionWait}: how long one may queue before 503.
     */
    public record Lease(Duration ttl, int maxAttempts, Duration reapInterval, Duration pollInterval,
            int maxConcurrent, Duration admissionWait) {
        public Lease {
            if (ttl == null) ttl = Duration.ofSeconds(60);
            if (maxAttempts <= 0) maxAttempts = 3;
            if (reapInterval == null) reapInterval = Duration.ofSeconds(5);
            if (pollInterval == null) pollInterval = Duration.ofMillis(250);
            if (maxConcurrent <= 0) maxConcurrent = 2 * Runtime.getRuntime().availableProcessors();
            if (admissionWait == null) admissionWait = Duration.ofSeconds(30);
        }
    }

    public record Search(Duration stepInterval, int maxInFlight) {
        public Search {
            if (stepInterval == null) stepInterval = Duration.ofSeconds(2);
            if (maxInFlight <= 0) maxInFlight = 4;
        }
    }

    public record Device(Duration onlineWindow) {
        public Device {
            if (onlineWindow == null) onlineWindow = Duration.ofSeconds(90);
        }
    }

    public record Scheduling(boolean enabled) {
    }
}
