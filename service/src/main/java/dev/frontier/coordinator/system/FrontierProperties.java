package dev.frontier.coordinator.system;

import java.time.Duration;

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
        if (auth == null) auth = new Auth(null);
        if (lease == null) lease = new Lease(null, 0, null, null);
        if (search == null) search = new Search(null, 0);
        if (device == null) device = new Device(null);
        if (scheduling == null) scheduling = new Scheduling(true);
    }

    /** A blank token means no authentication (local development). */
    public record Auth(String token) {
        public boolean enabled() {
            return token != null && !token.isBlank();
        }
    }

    public record Lease(Duration ttl, int maxAttempts, Duration reapInterval, Duration pollInterval) {
        public Lease {
            if (ttl == null) ttl = Duration.ofSeconds(60);
            if (maxAttempts <= 0) maxAttempts = 3;
            if (reapInterval == null) reapInterval = Duration.ofSeconds(5);
            if (pollInterval == null) pollInterval = Duration.ofMillis(250);
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
