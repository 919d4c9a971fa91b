package dev.frontier.coordinator.gate;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import dev.frontier.coordinator.api.GatesApi;
import dev.frontier.coordinator.api.model.Gate;
import dev.frontier.coordinator.api.model.GateRequest;

@RestController
class GateController implements GatesApi {
    private final GateService gates;

    GateController(GateService gates) {
        this.gates = gates;
    }

    @Override
    public ResponseEntity<Gate> createGate(GateRequest req) {
        return ResponseEntity.status(HttpStatus.CREATED).body(gates.create(req));
    }

    @Override
    public ResponseEntity<Gate> getGate(UUID gateId) {
        return ResponseEntity.ok(gates.get(gateId));
    }

    @Override
    public ResponseEntity<List<Gate>> listGates(String model) {
        return ResponseEntity.ok(gates.list(model));
    }

    @Override
    public ResponseEntity<String> getGateMarkdown(UUID gateId) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/markdown;charset=UTF-8"))
                .body(GateReports.markdown(gates.get(gateId)));
    }

    @Override
    public ResponseEntity<String> getGateJunit(UUID gateId) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML).body(GateReports.junit(gates.get(gateId)));
    }
}
