package dev.frontier.coordinator.worker;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import dev.frontier.coordinator.access.ApiTokenService;
import dev.frontier.coordinator.access.Caller;
import dev.frontier.coordinator.access.Callers;
import dev.frontier.coordinator.api.WorkersApi;
import dev.frontier.coordinator.api.model.Worker;
import dev.frontier.coordinator.api.model.WorkerRegistration;
import dev.frontier.coordinator.system.ApiException;

@RestController
class WorkerController implements WorkersApi {
    private final WorkerService service;
    private final ApiTokenService tokens;

    WorkerController(WorkerService service, ApiTokenService tokens) {
        this.service = service;
        this.tokens = tokens;
    }

    @Override
    public ResponseEntity<List<Worker>> listWorkers() {
        return ResponseEntity.ok(service.list());
    }

    /**
     * Registration hands out the worker's own token: an agent starts with an enrollment (or admin)
     * token and continues with one that can act for this worker only.
     */
    @Override
    public ResponseEntity<Worker> registerWorker(WorkerRegistration reg) {
        Caller caller = Callers.current().orElseThrow();
        if (!caller.isAdmin() && !caller.isEnrollment()) {
            throw new ApiException(HttpStatus.FORBIDDEN, "this token is bound to worker " + caller.workerId()
                    + "; register new workers with an enrollment (FRONTIER_WORKER_TOKEN) or admin token", null);
        }
        Worker w = service.register(reg);
        return ResponseEntity.status(HttpStatus.CREATED).body(w.token(tokens.issueWorkerToken(w.getId(), w.getName())));
    }
}
