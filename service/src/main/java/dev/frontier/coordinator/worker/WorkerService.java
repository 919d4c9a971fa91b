package dev.frontier.coordinator.worker;

import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.frontier.coordinator.api.model.Role;
import dev.frontier.coordinator.api.model.Worker;
import dev.frontier.coordinator.api.model.WorkerRegistration;
import dev.frontier.coordinator.device.DeviceService;
import dev.frontier.coordinator.device.Runtimes;
import dev.frontier.coordinator.system.ApiException;
import dev.frontier.coordinator.system.Names;
import dev.frontier.coordinator.system.Times;

@Service
public class WorkerService {
    private static final long TOUCH_EVERY_NANOS = 5_000_000_000L;
    private final WorkerRepository workers;
    private final DeviceService devices;
    // worker rows never change after registration, and every lease poll needs one: keep them in memory
    private final Map<UUID, WorkerInfo> known = new ConcurrentHashMap<>();
    private final Map<UUID, Long> lastTouch = new ConcurrentHashMap<>();

    WorkerService(WorkerRepository workers, DeviceService devices) {
        this.workers = workers;
        this.devices = devices;
    }

    /**
     * What the lease logic needs to know about a worker. {@code runtimes}: those it measures with;
     * null when it takes every runtime its device declares.
     */
    public record WorkerInfo(UUID id, UUID deviceId, Set<Role> roles, List<String> runtimes) {
        public WorkerInfo(UUID id, UUID deviceId, Set<Role> roles) {
            this(id, deviceId, roles, null);
        }
    }

    @Transactional
    public Worker register(WorkerRegistration reg) {
        if (reg.getName().isBlank()) throw ApiException.badRequest("name", "name must not be blank");
        Names.requirePrintable("name", reg.getName());
        Set<Role> roles = EnumSet.copyOf(reg.getRoles());
        if (reg.getDeviceId() != null && !devices.exists(reg.getDeviceId())) {
            throw ApiException.unprocessable("deviceId", "device " + reg.getDeviceId() + " is not registered");
        }
        if (roles.contains(Role.MEASURE) && reg.getDeviceId() == null) {
            throw ApiException.unprocessable("deviceId", "the measure role needs the device this worker measures on");
        }
        String text = roles.stream().map(Role::getValue).collect(Collectors.joining(","));
        WorkerEntity w = workers.save(new WorkerEntity(reg.getName().strip(), reg.getDeviceId(), text, runtimes(reg)));
        if (w.getDeviceId() != null) devices.touch(w.getDeviceId());
        return toDto(w);
    }

    /** The runtimes a worker names must be ones its device declares: it measures on that device. */
    private String runtimes(WorkerRegistration reg) {
        List<String> names = reg.getRuntimes();
        if (names == null || names.isEmpty()) return null;
        if (reg.getDeviceId() == null) throw ApiException.unprocessable("runtimes", "runtimes need the device this worker measures on");
        Set<String> offered = devices.runtimes(List.of(reg.getDeviceId())).getOrDefault(reg.getDeviceId(), List.of()).stream()
                .map(r -> r.getName()).collect(Collectors.toSet());
        for (int i = 0; i < names.size(); i++) {
            if (!offered.contains(names.get(i))) {
                throw ApiException.unprocessable("runtimes[" + i + "]", "device " + reg.getDeviceId() + " declares no runtime "
                        + names.get(i) + " (it declares " + new java.util.TreeSet<>(offered) + ")");
            }
        }
        return Runtimes.join(new java.util.LinkedHashSet<>(names));
    }

    @Transactional(readOnly = true)
    public List<Worker> list() {
        return workers.findAllByOrderByCreatedAtAsc().stream().map(WorkerService::toDto).toList();
    }

    // no transaction here: the cached path (every lease poll) must not cost a database round trip
    public Optional<WorkerInfo> info(UUID id) {
        WorkerInfo cached = known.get(id);
        if (cached != null) return Optional.of(cached);
        Optional<WorkerInfo> found = workers.findById(id).map(w -> new WorkerInfo(w.getId(), w.getDeviceId(), roles(w.getRoles()),
                w.getRuntimes() == null ? null : Runtimes.parse(w.getRuntimes())));
        found.ifPresent(w -> {
            if (known.size() < 100_000) known.put(id, w);
        });
        return found;
    }

    /** Records that the worker (and so its device) is alive; at most one write per worker every 5 s. */
    public void seen(WorkerInfo w) {
        long nanos = System.nanoTime();
        Long last = lastTouch.get(w.id());
        if (last != null && nanos - last < TOUCH_EVERY_NANOS) return;
        lastTouch.put(w.id(), nanos);
        Instant now = Instant.now();
        workers.touch(w.id(), now, now.minusSeconds(5));
        if (w.deviceId() != null) devices.touch(w.deviceId());
    }

    private static Set<Role> roles(String text) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream(text.split(",")).filter(s -> !s.isBlank()).map(Role::fromValue).forEach(roles::add);
        return roles;
    }

    private static Worker toDto(WorkerEntity w) {
        return new Worker(w.getId(), w.getName(), List.copyOf(roles(w.getRoles())))
                .deviceId(w.getDeviceId())
                .runtimes(w.getRuntimes() == null ? null : Runtimes.parse(w.getRuntimes()))
                .lastSeenAt(Times.utc(w.getLastSeenAt()))
                .createdAt(Times.utc(w.getCreatedAt()));
    }
}
