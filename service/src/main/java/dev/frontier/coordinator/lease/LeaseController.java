package dev.frontier.coordinator.lease;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import dev.frontier.coordinator.access.Callers;
import dev.frontier.coordinator.api.LeasesApi;
import dev.frontier.coordinator.api.model.Lease;
import dev.frontier.coordinator.api.model.LeaseBatch;
import dev.frontier.coordinator.api.model.LeaseCompletion;
import dev.frontier.coordinator.api.model.LeaseFailure;
import dev.frontier.coordinator.api.model.LeaseHeartbeat;
import dev.frontier.coordinator.api.model.LeaseRequest;
import dev.frontier.coordinator.api.model.LeaseStatus;
import dev.frontier.coordinator.api.model.Role;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.FrontierProperties;
import dev.frontier.coordinator.worker.WorkerService;
import dev.frontier.coordinator.worker.WorkerService.WorkerInfo;

@RestController
class LeaseController implements LeasesApi {
    private final LeaseService leases;
    private final WorkerService workers;
    private final LeaseAdmission admission;
    private final Duration pollInterval;

    LeaseController(LeaseService leases, WorkerService workers, LeaseAdmission admission, FrontierProperties props) {
        this.leases = leases;
        this.workers = workers;
        this.admission = admission;
        this.pollInterval = props.lease().pollInterval();
    }

    /** Long poll: claims, and while nothing is claimable waits for a wake-up or the next poll tick. */
    @Override
    public ResponseEntity<LeaseBatch> acquireLeases(LeaseRequest req) {
        Callers.requireActingFor(req.getWorkerId());
        WorkerInfo worker = workers.info(req.getWorkerId())
                .orElseThrow(() -> new ApiException(org.springframework.http.HttpStatus.NOT_FOUND,
                        "worker " + req.getWorkerId() + " is not registered", "workerId"));
        if (req.getDeviceId() != null && !req.getDeviceId().equals(worker.deviceId())) {
            throw ApiException.unprocessable("deviceId", "worker " + worker.id() + " is attached to device " + worker.deviceId());
        }
        Set<Role> roles = LeaseService.roles(worker, req.getRoles());
        int max = req.getMax() == null ? 1 : req.getMax();
        long deadline = System.nanoTime() + Duration.ofSeconds(req.getWaitSeconds() == null ? 0 : req.getWaitSeconds()).toNanos();
        workers.seen(worker);
        while (true) {
            List<Lease> granted = leases.claim(worker, roles, max);
            long left = deadline - System.nanoTime();
            if (!granted.isEmpty() || left <= 0) return ResponseEntity.ok(new LeaseBatch(granted));
            try {
                Duration wait = Duration.ofNanos(Math.min(left, pollInterval.toNanos()));
                admission.waitOutside(() -> leases.await(worker, roles, wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ResponseEntity.ok(new LeaseBatch(List.of()));
            }
        }
    }

    @Override
    public ResponseEntity<LeaseStatus> heartbeatLease(UUID leaseId, LeaseHeartbeat hb) {
        Callers.requireActingFor(hb.getWorkerId());
        return ResponseEntity.ok(leases.heartbeat(leaseId, hb.getWorkerId(), hb.getProgress(), hb.getMessage()));
    }

    @Override
    public ResponseEntity<LeaseStatus> completeLease(UUID leaseId, LeaseCompletion c) {
        Callers.requireActingFor(c.getWorkerId());
        return ResponseEntity.ok(leases.complete(leaseId, c.getWorkerId(), c.getResult(), c.getArtifactSha256()));
    }

    @Override
    public ResponseEntity<LeaseStatus> failLease(UUID leaseId, LeaseFailure f) {
        Callers.requireActingFor(f.getWorkerId());
        return ResponseEntity.ok(leases.fail(leaseId, f.getWorkerId(), f.getReason(), Boolean.TRUE.equals(f.getRetryable()), f.getErrorKind()));
    }
}
