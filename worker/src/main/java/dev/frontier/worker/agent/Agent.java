package dev.frontier.worker.agent;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The worker's lease loop: registers the device and the worker, then leases one task at a time,
 * runs it with lease heartbeats, and reports the result or the failure. One task at a time is
 * deliberate: a measurement must own the device, and a build running beside it would disturb it.
 */
public final class Agent {
    private final AgentConfig config;
    private final CoordinatorClient client;
    private final TaskExecutor executor;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "agent-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicReference<Lease> current = new AtomicReference<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicInteger completed = new AtomicInteger();
    private String deviceId;
    private String workerId;

    public Agent(AgentConfig config, CoordinatorClient client, TaskExecutor executor) {
        this.config = config;
        this.client = client;
        this.executor = executor;
    }

    public String deviceId() {
        return deviceId;
    }

    public String workerId() {
        return workerId;
    }

    public int completedTasks() {
        return completed.get();
    }

    /** Registers the device (or attaches to the one of that name) and this worker. */
    public void register() {
        client.useToken(config.token());
        if (config.deviceName() != null) {
            deviceId = findOrRegisterDevice(config.deviceName());
            timers.scheduleAtFixedRate(this::deviceHeartbeat, 0, config.heartbeatSeconds(), TimeUnit.SECONDS);
        }
        ObjectNode w = CoordinatorClient.object();
        w.put("name", workerName());
        if (deviceId != null) {
            w.put("deviceId", deviceId);
        }
        ArrayNode roles = w.putArray("roles");
        config.roles().forEach(roles::add);
        if (deviceId != null && config.measures()) {
            ArrayNode names = w.putArray("runtimes");
            executor.runtimes().forEach(r -> names.add(String.valueOf(r.get("name"))));
        }
        JsonNode registered = client.post("workers", w);
        workerId = registered.path("id").asString();
        String own = registered.path("token").asString("");
        if (!own.isEmpty()) {
            client.useToken(own); // least privilege from here on: this worker's leases only
        }
        log("registered worker " + workerId + (deviceId == null ? "" : " on device " + config.deviceName() + " (" + deviceId + ")")
                + " roles " + config.roles()
                + (deviceId != null && config.measures() ? " runtimes " + executor.runtimes().stream().map(r -> r.get("name")).toList() : ""));
    }

    /** The device by name, registered on first use; its declared runtimes include this agent's (sent before the worker registers). */
    private String findOrRegisterDevice(String name) {
        for (JsonNode d : client.get("devices")) {
            if (name.equals(d.path("name").asString())) {
                String id = d.path("id").asString();
                if (config.measures()) {
                    client.post("devices/" + id + "/heartbeat", heartbeatBody());
                }
                return id;
            }
        }
        ObjectNode d = CoordinatorClient.object();
        d.put("name", name);
        d.putObject("labels").put("agent", "frontier-jvm");
        d.set("hardware", HardwareProbe.detect());
        if (config.measures()) {
            d.set("runtimes", CoordinatorClient.JSON.valueToTree(executor.runtimes()));
        }
        return client.post("devices", d).path("id").asString();
    }

    private ObjectNode heartbeatBody() {
        ObjectNode body = CoordinatorClient.object();
        if (config.measures()) {
            body.set("runtimes", CoordinatorClient.JSON.valueToTree(executor.runtimes()));
        }
        return body;
    }

    private void deviceHeartbeat() {
        try {
            client.post("devices/" + deviceId + "/heartbeat", heartbeatBody());
        } catch (RuntimeException e) {
            log("device heartbeat failed: " + e.getMessage());
        }
    }

    /** Leases and runs tasks until {@link #stop()} or {@code maxTasks} tasks are done. */
    public void run() {
        try {
            if (workerId == null) {
                register();
            }
            while (!stopping.get() && (config.maxTasks() <= 0 || completed.get() < config.maxTasks())) {
                Lease lease;
                try {
                    lease = leaseOne();
                } catch (CoordinatorException e) {
                    log("lease request failed: " + e.getMessage() + "; retrying");
                    CoordinatorClient.sleep(2000);
                    continue;
                }
                if (lease != null) {
                    runLease(lease);
                }
            }
        } finally {
            timers.shutdownNow();
            finished.countDown();
        }
    }

    private Lease leaseOne() {
        ObjectNode req = CoordinatorClient.object();
        req.put("workerId", workerId);
        if (deviceId != null) {
            req.put("deviceId", deviceId);
        }
        ArrayNode roles = req.putArray("roles");
        config.roles().forEach(roles::add);
        req.put("max", 1);
        req.put("waitSeconds", config.leaseWaitSeconds());
        JsonNode leases = client.post("leases", req).path("leases");
        return leases.isEmpty() ? null : Lease.from(leases.get(0));
    }

    private void runLease(Lease lease) {
        current.set(lease);
        long start = System.nanoTime();
        log("start " + lease);
        LeaseHeartbeat hb = new LeaseHeartbeat(lease);
        var beat = timers.scheduleAtFixedRate(hb::send, config.heartbeatSeconds(), config.heartbeatSeconds(),
                TimeUnit.SECONDS);
        try {
            TaskResult r = executor.execute(lease, hb);
            if (hb.lost()) {
                log("lease " + lease.id() + " was lost while working; result dropped");
                return;
            }
            ObjectNode body = CoordinatorClient.object();
            body.put("workerId", workerId);
            body.set("result", CoordinatorClient.JSON.valueToTree(r.result()));
            if (r.artifactSha256() != null) {
                body.put("artifactSha256", r.artifactSha256());
            }
            client.post("leases/" + lease.id() + "/complete", body);
            completed.incrementAndGet();
            log(String.format("done  %s in %.1f s", lease, (System.nanoTime() - start) / 1e9));
        } catch (TaskFailure f) {
            fail(lease, f.kind(), f.getMessage(), f.retryable());
        } catch (CoordinatorException e) {
            log("could not report " + lease + ": " + e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            fail(lease, e instanceof OutOfMemoryError ? "OOM" : "INTERNAL", e.toString(), false);
        } finally {
            beat.cancel(false);
            current.set(null);
        }
    }

    private void fail(Lease lease, String kind, String reason, boolean retryable) {
        log("fail  " + lease + ": [" + kind + "] " + reason + (retryable ? " (retryable)" : ""));
        ObjectNode body = CoordinatorClient.object();
        body.put("workerId", workerId);
        body.put("reason", reason.length() > 3900 ? reason.substring(0, 3900) : reason);
        body.put("retryable", retryable);
        body.put("errorKind", kind);
        try {
            client.post("leases/" + lease.id() + "/fail", body);
        } catch (CoordinatorException e) {
            log("could not report failure of " + lease + ": " + e.getMessage());
        }
    }

    /**
     * Stops leasing. A task in flight gets {@code graceSeconds} to finish; after that its lease is
     * released as a retryable failure so another worker picks it up at once instead of after expiry.
     */
    public void stop(long graceSeconds) {
        stopping.set(true);
        try {
            if (finished.await(graceSeconds, TimeUnit.SECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Lease l = current.get();
        if (l != null) {
            fail(l, "WORKER_SHUTDOWN", "worker stopped before the task finished", true);
        }
    }

    private String workerName() {
        String host = System.getenv().getOrDefault("HOSTNAME", "");
        if (host.isEmpty()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "worker";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    static void log(String message) {
        System.out.println(Instant.now().toString().substring(11, 19) + " agent: " + message);
    }

    /** Heartbeats one lease with the task's latest progress; notices when the lease is gone. */
    private final class LeaseHeartbeat implements Progress {
        private final Lease lease;
        private volatile double fraction;
        private volatile String message = "";
        private volatile boolean lost;

        LeaseHeartbeat(Lease lease) {
            this.lease = lease;
        }

        public void report(double f, String m) {
            fraction = Math.max(0, Math.min(1, f));
            message = m == null ? "" : m;
        }

        public boolean lost() {
            return lost;
        }

        void send() {
            ObjectNode body = CoordinatorClient.object();
            body.put("workerId", workerId);
            body.put("progress", fraction);
            body.put("message", message.length() > 480 ? message.substring(0, 480) : message);
            try {
                client.post("leases/" + lease.id() + "/heartbeat", body);
            } catch (CoordinatorException e) {
                if (e.isConflict() || e.status() == 404) {
                    lost = true;
                }
                log("lease heartbeat: " + e.getMessage());
            }
        }
    }
}
