package dev.frontier.coordinator.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Load generator of the scale test (service/scale-test.sh starts PostgreSQL and the coordinators):
 * simulated workers spread over several coordinator replicas lease, heartbeat and complete the
 * PROFILE/BUILD/MEASURE tasks of real jobs (random searches the replicas step themselves), in
 * steps of growing worker counts; then checks the database against what the workers saw. It
 * measures the coordinators and PostgreSQL, not models: the workers' results are synthetic.
 *
 * Arguments: --coordinators URL,URL --database-url JDBC [--database-user U] --steps 1,4,16,32,64 --seconds 20
 * [--warmup 30] [--devices 64]. Tokens from FRONTIER_ADMIN_TOKEN and FRONTIER_WORKER_TOKEN (enrollment). [--abandon 0.002] [--pids PID,PID] [--postgres-pid PID]
 */
public final class ScaleLoadGenerator {
    private static final int DEVICES_PER_JOB = 8;
    private final List<URI> coordinators;
    private final String adminToken;
    private final String enrollmentToken;
    private final LeaseLog log = new LeaseLog();
    private final List<UUID> jobs = new ArrayList<>();

    ScaleLoadGenerator(List<URI> coordinators, String adminToken, String enrollmentToken) {
        this.coordinators = coordinators;
        this.adminToken = adminToken;
        this.enrollmentToken = enrollmentToken;
    }

    public static void main(String[] args) throws Exception {
        List<URI> coordinators = Arrays.stream(arg(args, "--coordinators", "http://127.0.0.1:8080").split(",")).map(URI::create).toList();
        int[] steps = Arrays.stream(arg(args, "--steps", "1,4,16,32,64").split(",")).mapToInt(Integer::parseInt).toArray();
        int seconds = Integer.parseInt(arg(args, "--seconds", "20"));
        int devices = Integer.parseInt(arg(args, "--devices", "64"));
        double abandon = Double.parseDouble(arg(args, "--abandon", "0.002"));
        ProcessCpu cpu = new ProcessCpu(longs(arg(args, "--pids", "")), longs(arg(args, "--postgres-pid", "")));
        // as in production: the operator (jobs, devices) holds the admin token; agents enrol with the enrollment
        // token and continue with the worker token their registration returns
        ScaleLoadGenerator test = new ScaleLoadGenerator(coordinators, System.getenv("FRONTIER_ADMIN_TOKEN"),
                System.getenv("FRONTIER_WORKER_TOKEN"));
        int failures;
        try (Connection db = DriverManager.getConnection(arg(args, "--database-url", "jdbc:postgresql://127.0.0.1:5432/postgres"),
                arg(args, "--database-user", "postgres"), arg(args, "--database-password", ""))) {
            failures = test.run(steps, seconds, Integer.parseInt(arg(args, "--warmup", "30")), devices, abandon, cpu, db);
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Runs the steps and the checks; returns how many checks failed. */
    int run(int[] steps, int seconds, int warmup, int deviceCount, double abandon, ProcessCpu cpu, Connection db) throws Exception {
        int maxWorkers = Arrays.stream(steps).max().orElse(1);
        ScaleApi api = new ScaleApi(http(0, adminToken));
        ScaleApi enrol = new ScaleApi(http(0, enrollmentToken == null ? adminToken : enrollmentToken));
        List<UUID> devices = new ArrayList<>();
        for (int i = 0; i < Math.min(deviceCount, maxWorkers); i++) devices.add(api.device("scale-device-" + i + "-" + UUID.randomUUID()));
        List<ScaleApi.Registered> workers = new ArrayList<>();
        for (int i = 0; i < maxWorkers; i++) workers.add(enrol.worker("scale-worker-" + i, devices.get(i % devices.size())));
        String sha = api.artifact(("synthetic scale-test artifact " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
        UUID model = api.model("scale-test-model");
        System.out.printf("scale test: %d coordinator(s) %s; %d devices; workers with roles build+measure, worker i on device i mod %d "
                + "(one agent per device up to %d workers); a random-search job per %d active devices; abandon probability %.3f%n",
                coordinators.size(), coordinators, devices.size(), devices.size(), devices.size(), DEVICES_PER_JOB, abandon);
        System.out.println("Measures the coordinators and PostgreSQL: the simulated workers report synthetic results, no model runs.");
        if (warmup > 0) {
            // the coordinators' JIT compiles the lease path under load; unmeasured, but checked like the rest
            StepResult w = step(api, model, devices, workers, sha, abandon, warmup, cpu);
            System.out.printf("(warm-up: %d workers for %d s, %.0f cycles/s, coordinators %.2f CPU ms/cycle)%n", workers.size(), warmup,
                    w.cyclesPerSecond(), w.coordinatorCpuPerCycle());
        }
        System.out.println();
        System.out.println("| workers | cycles/s | builds/s | lease p50 ms | lease p99 ms | report p50 ms | report p99 ms | errors "
                + "| coordinators CPU ms/cycle | PostgreSQL CPU ms/cycle | machine busy % |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int n : steps) {
            StepResult r = step(api, model, devices.subList(0, Math.min(n, devices.size())), workers.subList(0, n), sha, abandon, seconds, cpu);
            System.out.printf("| %d | %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %d | %.2f | %.2f | %.0f |%n", n, r.cyclesPerSecond(),
                    r.buildsPerSecond(), r.leaseP50(), r.leaseP99(), r.reportP50(), r.reportP99(), r.errors(),
                    r.coordinatorCpuPerCycle(), r.postgresCpuPerCycle(), r.machineBusyPercent());
        }
        System.out.println();
        return new ScaleChecks(db, jobs, model, log.entries()).run().size();
    }

    private record StepResult(double cyclesPerSecond, double buildsPerSecond, double leaseP50, double leaseP99, double reportP50,
            double reportP99, long errors, double coordinatorCpuPerCycle, double postgresCpuPerCycle, double machineBusyPercent) {
    }

    /**
     * One step: a job per active device, n workers spread round-robin over the coordinators, a 2 s ramp, then
     * {@code seconds} measured; workers finish the lease in hand, and the step's jobs are cancelled.
     */
    private StepResult step(ScaleApi api, UUID model, List<UUID> devices, List<ScaleApi.Registered> workers, String sha, double abandon,
            int seconds, ProcessCpu cpu) throws Exception {
        List<UUID> stepJobs = new ArrayList<>();
        // a job per 8 active devices: each trial is built once and measured on its job's 8 devices (as a fan-out does)
        for (int i = 0; i < devices.size(); i += DEVICES_PER_JOB) {
            stepJobs.add(api.job(model, devices.subList(i, Math.min(devices.size(), i + DEVICES_PER_JOB)), 1_000_000, stepJobs.size() + 1));
        }
        jobs.addAll(stepJobs);
        AtomicBoolean running = new AtomicBoolean(true);
        List<SimulatedWorker> sims = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            ScaleApi.Registered r = workers.get(i);
            SimulatedWorker w = new SimulatedWorker(i, r.id(), http(i % coordinators.size(), r.token()), sha, abandon, log, running::get);
            sims.add(w);
            Thread t = new Thread(w, "sim-worker-" + i);
            threads.add(t);
            t.start();
        }
        Thread.sleep(2_000);
        int before = log.entries().size();
        long done0 = countBuilds();
        ProcessCpu.Snapshot s0 = cpu.snapshot();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long completed = log.entries().stream().skip(before).filter(e -> e.outcome() != LeaseLog.Outcome.ABANDONED).count();
        ProcessCpu.Snapshot s1 = cpu.snapshot();
        long done = countBuilds() - done0;
        running.set(false);
        for (Thread t : threads) t.join(120_000);
        for (UUID job : stepJobs) api.cancel(job);
        long[] lease = merged(sims, true);
        long[] report = merged(sims, false);
        double cycles = Math.max(1, completed);
        return new StepResult(completed / elapsed, done / elapsed, pct(lease, 0.5), pct(lease, 0.99), pct(report, 0.5), pct(report, 0.99),
                sims.stream().mapToLong(SimulatedWorker::errors).sum(), (s1.coordinatorsMs() - s0.coordinatorsMs()) / cycles,
                (s1.postgresMs() - s0.postgresMs()) / cycles, s1.machineBusyPercentSince(s0));
    }

    /** Leases whose report the coordinator acknowledged, over all steps. */
    long completedLeases() {
        return log.entries().stream().filter(e -> e.outcome() == LeaseLog.Outcome.COMPLETED).count();
    }

    private long countBuilds() {
        return log.entries().stream().filter(e -> e.outcome() == LeaseLog.Outcome.COMPLETED && "BUILD".equals(e.kind())).count();
    }

    private LoopbackHttp http(int coordinator, String token) {
        URI uri = coordinators.get(coordinator);
        return new LoopbackHttp(uri.getHost(), uri.getPort(), token);
    }

    private static long[] merged(List<SimulatedWorker> sims, boolean lease) {
        return sims.stream().flatMapToLong(w -> Arrays.stream(lease ? w.leaseLatencies() : w.reportLatencies())).sorted().toArray();
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return 0;
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * q))] / 1e6;
    }

    private static long[] longs(String csv) {
        return csv.isBlank() ? new long[0] : Arrays.stream(csv.split(",")).map(String::strip).mapToLong(Long::parseLong).toArray();
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        return fallback;
    }
}
