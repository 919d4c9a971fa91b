package dev.frontier.coordinator.worker;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import dev.frontier.coordinator.api.WorkersApi;
import dev.frontier.coordinator.api.model.Worker;
import dev.frontier.coordinator.api.model.WorkerRegistration;

@RestController
class WorkerController implements WorkersApi {
    private final WorkerService service;

    WorkerController(WorkerService service) {
        this.service = service;
    }

    @Override
    public ResponseEntity<List<Worker>> listWorkers() {
        return ResponseEntity.ok(service.list());
    }

    @Override
    public ResponseEntity<Worker> registerWorker(WorkerRegistration reg) {
        return ResponseEntity.status(HttpStatus.CREATED).body(service.register(reg));
    }
}
