package dev.frontier.coordinator.device;

import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RestController;

import dev.frontier.coordinator.api.DevicesApi;
import dev.frontier.coordinator.api.model.Device;
import dev.frontier.coordinator.api.model.DeviceHeartbeat;
import dev.frontier.coordinator.api.model.DeviceRegistration;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.Names;

@RestController
class DeviceController implements DevicesApi {
    private final DeviceService service;

    DeviceController(DeviceService service) {
        this.service = service;
    }

    @Override
    public ResponseEntity<List<Device>> listDevices() {
        return ResponseEntity.ok(service.list());
    }

    @Override
    public ResponseEntity<Device> registerDevice(DeviceRegistration reg) {
        if (reg.getName().isBlank()) throw ApiException.badRequest("name", "name must not be blank");
        Names.requirePrintable("name", reg.getName());
        return ResponseEntity.status(HttpStatus.CREATED).body(service.register(reg));
    }

    @Override
    public ResponseEntity<Device> getDevice(UUID deviceId) {
        return ResponseEntity.ok(service.get(deviceId));
    }

    @Override
    public ResponseEntity<Device> heartbeatDevice(UUID deviceId, DeviceHeartbeat body) {
        return ResponseEntity.ok(service.heartbeat(deviceId, body));
    }
}
