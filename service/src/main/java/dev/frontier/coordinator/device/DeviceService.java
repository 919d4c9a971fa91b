package dev.frontier.coordinator.device;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;

import dev.frontier.coordinator.api.model.Device;
import dev.frontier.coordinator.api.model.DeviceHeartbeat;
import dev.frontier.coordinator.api.model.DeviceRegistration;
import dev.frontier.coordinator.api.model.DeviceRuntime;
import dev.frontier.coordinator.api.model.DeviceStatus;
import dev.frontier.coordinator.api.model.HardwareProfile;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.FrontierProperties;
import dev.frontier.coordinator.system.Json;
import dev.frontier.coordinator.system.Times;

@Service
public class DeviceService {
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };
    private final DeviceRepository devices;
    private final Duration onlineWindow;
    private final org.springframework.jdbc.core.JdbcTemplate jdbc;

    DeviceService(DeviceRepository devices, FrontierProperties props, org.springframework.jdbc.core.JdbcTemplate jdbc) {
        this.devices = devices;
        this.onlineWindow = props.device().onlineWindow();
        this.jdbc = jdbc;
    }

    private static final TypeReference<List<DeviceRuntime>> RUNTIMES = new TypeReference<>() {
    };

    @Transactional
    public Device register(DeviceRegistration reg) {
        DeviceEntity d = new DeviceEntity(reg.getName().strip(), Json.write(reg.getLabels() == null ? Map.of() : reg.getLabels()),
                Json.write(reg.getHardware()), runtimesJson(reg.getRuntimes()), Instant.now());
        return toDto(devices.save(d));
    }

    /** Null for none declared; a runtime named twice is the caller's mistake. */
    private static String runtimesJson(List<DeviceRuntime> runtimes) {
        if (runtimes == null || runtimes.isEmpty()) return null;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < runtimes.size(); i++) {
            if (!seen.add(runtimes.get(i).getName())) {
                throw ApiException.badRequest("runtimes[" + i + "].name", "runtime " + runtimes.get(i).getName() + " is declared twice");
            }
        }
        return Json.write(runtimes);
    }

    /** What the device declared (frontier-jvm when it declared nothing). */
    public static List<DeviceRuntime> runtimes(String json) {
        if (json == null || json.isBlank()) return List.of(new DeviceRuntime(Runtimes.JVM));
        return Json.read(json, RUNTIMES);
    }

    /** The runtimes each of the devices offers, by name. */
    @Transactional(readOnly = true)
    public Map<UUID, List<DeviceRuntime>> runtimes(Collection<UUID> ids) {
        Map<UUID, List<DeviceRuntime>> out = new java.util.LinkedHashMap<>();
        for (DeviceEntity d : devices.findAllById(ids)) out.put(d.getId(), runtimes(d.getRuntimes()));
        return out;
    }

    @Transactional(readOnly = true)
    public List<Device> list() {
        return devices.findAllByOrderByCreatedAtAsc().stream().map(this::toDto).toList();
    }

    @Transactional(readOnly = true)
    public Device get(UUID id) {
        return toDto(find(id));
    }

    @Transactional
    public Device heartbeat(UUID id, DeviceHeartbeat body) {
        DeviceEntity d = find(id);
        d.heartbeat(Instant.now());
        if (body != null && body.getRuntimes() != null && !body.getRuntimes().isEmpty()) {
            // merged by name: several agents of one device (a Java agent, an ONNX Runtime client) each declare their own
            runtimesJson(body.getRuntimes());
            Map<String, DeviceRuntime> merged = new java.util.LinkedHashMap<>();
            if (d.getRuntimes() != null) runtimes(d.getRuntimes()).forEach(r -> merged.put(r.getName(), r));
            body.getRuntimes().forEach(r -> merged.put(r.getName(), r));
            d.declareRuntimes(Json.write(List.copyOf(merged.values())));
        }
        return toDto(d);
    }

    /** Called on every lease poll of a worker attached to the device: the worker is the device's agent. */
    @Transactional
    public void touch(UUID id) {
        Instant now = Instant.now();
        devices.touch(id, now, now.minusSeconds(5));
    }

    public boolean exists(UUID id) {
        return devices.existsById(id);
    }

    /** The devices among {@code ids} whose agent has not been heard from within the online window. */
    @Transactional(readOnly = true)
    public List<UUID> offline(Collection<UUID> ids) {
        return devices.findAllById(ids).stream().filter(d -> !online(d)).map(DeviceEntity::getId).toList();
    }

    private DeviceEntity find(UUID id) {
        return devices.findById(id).orElseThrow(() -> ApiException.notFound("device", id));
    }

    private boolean online(DeviceEntity d) {
        return d.getLastHeartbeatAt() != null && d.getLastHeartbeatAt().isAfter(Instant.now().minus(onlineWindow));
    }

    private Device toDto(DeviceEntity d) {
        return new Device(d.getId(), d.getName(), online(d) ? DeviceStatus.ONLINE : DeviceStatus.OFFLINE)
                .labels(Json.read(d.getLabels(), LABELS))
                .hardware(Json.read(d.getHardware(), HardwareProfile.class))
                .runtimes(runtimes(d.getRuntimes()))
                .lastHeartbeatAt(Times.utc(d.getLastHeartbeatAt()))
                .createdAt(Times.utc(d.getCreatedAt()))
                .queuedMeasurements(measurements(d.getId(), "QUEUED"))
                .runningMeasurements(measurements(d.getId(), "LEASED"));
    }

    /** The device's measurement queue, straight from the task table (served by its claim index). */
    private int measurements(java.util.UUID device, String state) {
        Integer n = jdbc.queryForObject("SELECT count(*) FROM task WHERE kind = 'MEASURE' AND device_id = ? AND state = ?",
                Integer.class, device, state);
        return n == null ? 0 : n;
    }
}
