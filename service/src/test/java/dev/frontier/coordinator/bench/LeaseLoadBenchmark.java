package dev.frontier.coordinator.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.frontier.coordinator.FrontierApplication;

/**
 * Load generator: starts the real coordinator (embedded PostgreSQL in a temp dir, same JVM, run it
 * with -Xmx512m), seeds a trial history by batch insert, then N simulated workers do
 * lease + complete cycles on BUILD tasks over real HTTP. Prints a table; see service/bench.sh.
 * Arguments: --workers 8,32,64 --seconds 10 --trials 1000,100000 --warmup 180 (at most; see warmUp)
 * --rates max,500 (per row: "max" = closed loop, as fast as the workers can go; a number = that many
 * cycles/s offered in total, paced, latency from the scheduled send time)
 * "CPU ms/cycle" is this JVM's CPU (coordinator + load generator, not PostgreSQL) per cycle.
 */
public final class LeaseLoadBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Every request is authenticated, as in production (admin token: the workers here are simulated). */
    static final String BENCH_TOKEN = "frt_lease-bench-admin";

    public static void main(String[] args) throws Exception {
        int[] workerCounts = ints(arg(args, "--workers", "8,32,64"));
        int seconds = Integer.parseInt(arg(args, "--seconds", "10"));
        int[] trialLevels = ints(arg(args, "--trials", "1000,100000"));
        Path dataDir = Files.createTempDirectory("frontier-bench");
        List<String> springArgs = new ArrayList<>(List.of("--server.port=0", "--frontier.data-dir=" + dataDir,
                "--logging.level.root=WARN", "--logging.structured.format.console=", "--spring.main.banner-mode=off",
                "--frontier.auth.admin-token=" + BENCH_TOKEN));
        String url = arg(args, "--database-url", null);
        if (url != null) {
            // an existing local PostgreSQL (e.g. one started with pg_stat_statements for profiling) instead of the embedded one
            springArgs.add("--spring.datasource.url=" + url);
            springArgs.add("--spring.datasource.username=" + arg(args, "--database-user", "postgres"));
            springArgs.add("--spring.datasource.password=" + arg(args, "--database-password", ""));
        }
        ConfigurableApplicationContext ctx = SpringApplication.run(FrontierApplication.class, springArgs.toArray(String[]::new));
        try {
            int port = Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
            JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
            new LeaseLoadBenchmark(jdbc, port, postmasterPid(jdbc)).run(workerCounts, seconds, trialLevels, args);
        } finally {
            ctx.close();
        }
        System.exit(0);
    }

    private final JdbcTemplate jdbc;
    private final int port;
    private final long postgresPid;
    private final LoopbackHttp setupHttp;
    private UUID jobId;
    private String sha;
    private int seq = 1_000_000_000; // work trials; history trials count up from 0 below them
    private int historySeq;

    /** The embedded server's postmaster (first line of its pid file); its backends are its children. */
    private static long postmasterPid(JdbcTemplate jdbc) throws java.io.IOException {
        Path dir = Path.of(jdbc.queryForObject("SHOW data_directory", String.class));
        return Long.parseLong(Files.readAllLines(dir.resolve("postmaster.pid")).get(0).strip());
    }

    private LeaseLoadBenchmark(JdbcTemplate jdbc, int port, long postgresPid) {
        this.jdbc = jdbc;
        this.postgresPid = postgresPid;
        this.port = port;
        this.setupHttp = http();
    }

    private LoopbackHttp http() {
        return new LoopbackHttp("127.0.0.1", port, BENCH_TOKEN);
    }

    private void run(int[] workerCounts, int seconds, int[] trialLevels, String[] args) throws Exception {
        double[] offered = Arrays.stream(arg(args, "--rates", "max").split(","))
                .mapToDouble(r -> r.strip().equals("max") ? 0 : Double.parseDouble(r.strip())).toArray();
        if (System.getProperty("bench.asyncCommit") != null) {
            jdbc.execute("ALTER SYSTEM SET synchronous_commit = off");
            jdbc.execute("SELECT pg_reload_conf()");
        }
        seedJob();
        List<UUID> workers = new ArrayList<>();
        int maxWorkers = Arrays.stream(workerCounts).max().orElse(1);
        for (int i = 0; i < maxWorkers; i++) {
            workers.add(UUID.fromString(post("/workers", "{\"name\":\"bench-" + i + "\",\"roles\":[\"build\"]}").path("id").asString()));
        }
        Runtime rt = Runtime.getRuntime();
        System.out.printf("cores=%d maxHeap=%dMB seconds/run=%d%n", rt.availableProcessors(), rt.maxMemory() >> 20, seconds);
        double rate = 600; // queue sizing only: enough work for the goal rate, grown with the fastest rate seen
        warmUp(workers, Integer.parseInt(arg(args, "--warmup", "180")), rate);

        System.out.println();
        System.out.println("| trials in table | workers | offered cycles/s | cycles/s | p50 ms | p99 ms | errors | JVM CPU ms/cycle | PG CPU ms/cycle | bytes/trial |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int level : trialLevels) {
            seedHistory(level);
            for (int n : workerCounts) for (double offer : offered) {
                // enough queued work for the run at the last rate seen, and the table back to the level afterwards
                int first = queue((int) Math.max(1000, rate * seconds * 2));
                long rows = jdbc.queryForObject("SELECT count(*) FROM trial", Long.class);
                long cpu0 = CpuClock.treeCpuMillis();
                long pg0 = CpuClock.treeCpuMillis(postgresPid);
                Result r = cycles(workers.subList(0, n), seconds, offer);
                double cycles = Math.max(1.0, r.perSecond * seconds);
                double cpuPerCycle = (CpuClock.treeCpuMillis() - cpu0) / cycles;
                double pgPerCycle = (CpuClock.treeCpuMillis(postgresPid) - pg0) / cycles;
                rate = Math.max(rate, r.perSecond);
                System.out.printf("| %,d | %d | %s | %.0f | %.1f | %.1f | %d | %.2f | %.2f | %.0f |%n", rows, n,
                        offer == 0 ? "max (closed loop)" : String.format("%.0f", offer), r.perSecond, r.p50, r.p99,
                        r.errors, cpuPerCycle, pgPerCycle, bytesPerTrial());
                dropFrom(first);
            }
        }
    }

    /**
     * Runs the largest worker count in 10 s rounds until the JIT compiler threads used under 5 % of the JVM's CPU in
     * a round, or {@code maxSeconds} passed. A long-running coordinator has compiled its hot paths; on a busy 2-core
     * machine C2 needs minutes to get there, and until then the rows would measure the compiler.
     */
    private void warmUp(List<UUID> workers, int maxSeconds, double rate) throws InterruptedException {
        long t0 = System.nanoTime();
        double share = 1;
        int round = 10;
        while (share >= 0.05 && System.nanoTime() - t0 < maxSeconds * 1_000_000_000L) {
            int first = queue((int) (rate * round * 2));
            long cpu0 = CpuClock.treeCpuMillis();
            long jit0 = CpuClock.compilerCpuMillis();
            cycles(workers, round, 0);
            share = (CpuClock.compilerCpuMillis() - jit0) / (double) Math.max(1, CpuClock.treeCpuMillis() - cpu0);
            dropFrom(first);
        }
        System.out.printf("warm-up: %d s; JIT compiler threads used %.0f %% of the JVM's CPU in its last 10 s%n",
                (System.nanoTime() - t0) / 1_000_000_000L, share * 100);
    }

    private record Result(double perSecond, double p50, double p99, long errors) {
    }

    /**
     * N workers, each: POST /leases (max 1, no wait) then POST /leases/{id}/complete, for `seconds`.
     * {@code offered} 0: closed loop, each worker starts its next cycle as soon as the last ended, so
     * with N workers the mean latency is N / requests per second by construction (a throughput test).
     * {@code offered} > 0: open loop, worker i starts cycle k at a fixed time (phase i/N of the period
     * N/offered), and the lease latency counts from that scheduled time, not from when the request was
     * actually sent, so a stalled coordinator shows up as latency of every cycle it delayed (no
     * coordinated omission). A worker whose cycles overrun its schedule sends the next at once.
     */
    private Result cycles(List<UUID> workers, int seconds, double offered) throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicLong errors = new AtomicLong();
        long[][] latencies = new long[workers.size()][];
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(seconds).toNanos();
        long period = offered > 0 ? (long) (workers.size() / offered * 1e9) : 0;
        CountDownLatch finished = new CountDownLatch(workers.size());
        for (int i = 0; i < workers.size(); i++) {
            final int idx = i;
            final UUID w = workers.get(i);
            Thread t = new Thread(() -> {
                long[] lat = new long[200_000];
                int k = 0;
                long scheduled = start + period * idx / workers.size();
                try (LoopbackHttp http = http()) {
                    while (System.nanoTime() < deadline && k < lat.length - 2) {
                        long t0 = System.nanoTime();
                        if (period > 0) {
                            if (scheduled > t0) {
                                Thread.sleep((scheduled - t0) / 1_000_000, (int) ((scheduled - t0) % 1_000_000));
                            }
                            t0 = scheduled;
                            scheduled += period;
                            if (t0 >= deadline) break;
                        }
                        JsonNode leases = post(http, "/leases", "{\"workerId\":\"" + w + "\",\"max\":1}").path("leases");
                        long t1 = System.nanoTime();
                        lat[k++] = t1 - t0;
                        if (leases.isEmpty()) {
                            errors.incrementAndGet(); // queue ran dry: would distort the numbers
                            continue;
                        }
                        String body = "{\"workerId\":\"" + w + "\",\"artifactSha256\":\"" + sha
                                + "\",\"result\":{\"accuracy\":88.5,\"sizeBytes\":123456,\"params\":1000,\"macs\":20000}}";
                        post(http, "/leases/" + leases.get(0).path("id").asString() + "/complete", body);
                        lat[k++] = System.nanoTime() - t1;
                        done.increment();
                    }
                } catch (RuntimeException | InterruptedException e) {
                    errors.incrementAndGet();
                } finally {
                    latencies[idx] = Arrays.copyOf(lat, k);
                    finished.countDown();
                }
            });
            t.start();
        }
        finished.await();
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        double p50 = all.length == 0 ? 0 : all[all.length / 2] / 1e6;
        double p99 = all.length == 0 ? 0 : all[(int) Math.min(all.length - 1, Math.floor(all.length * 0.99))] / 1e6;
        return new Result(done.sum() / (double) seconds, p50, p99, errors.get());
    }

    private void seedJob() {
        UUID model = UUID.randomUUID();
        UUID device = UUID.randomUUID();
        jobId = UUID.randomUUID();
        sha = post("/artifacts", null).path("sha256").asString();
        jdbc.update("INSERT INTO model (id, name, format, input_shape, sha256, size_bytes, profile, profiled_at, created_at) "
                + "VALUES (?, 'bench', 'frontier-ir', '1,28,28', ?, 1, '{\"layers\":[]}', now(), now())", model, sha);
        jdbc.update("INSERT INTO device (id, name, labels, created_at) VALUES (?, 'bench-device', '{}', now())", device);
        // RUNNING with its budget already proposed: the search step leaves it alone
        jdbc.update("INSERT INTO job (id, model_id, state, latency_target_ms, max_accuracy_drop, objectives, strategy, seed, "
                + "max_trials, fidelity_min, fidelity_max, trials_proposed, created_at, started_at) "
                + "VALUES (?, ?, 'RUNNING', 5, 1, 'ACCURACY,LATENCY,SIZE', 'random', 1, 0, 0.25, 1, 0, now(), now())", jobId, model);
        jdbc.update("INSERT INTO job_device (job_id, device_id) VALUES (?, ?)", jobId, device);
    }

    /** Finished trials with the rows a real one leaves behind: build+measure tasks, leases, a measurement. */
    private void seedHistory(int target) {
        long have = jdbc.queryForObject("SELECT count(*) FROM trial WHERE seq < 1000000000", Long.class);
        if (have >= target) return;
        int from = historySeq;
        int to = historySeq + (int) (target - have);
        historySeq = to;
        String device = "(SELECT device_id FROM job_device WHERE job_id = '" + jobId + "')";
        jdbc.update("INSERT INTO trial (id, job_id, seq, config, fidelity, state, attempts, accuracy, size_bytes, build_metrics, "
                + "artifact_sha256, created_at, started_at, finished_at) SELECT gen_random_uuid(), ?, g, "
                + "'{\"layers\":{\"conv1\":{\"prune\":{\"scheme\":\"pattern\",\"patterns\":8}}}}', 1, 'DONE', 1, 85 + random() * 5, "
                + "100000, '{\"accuracy\":88.0,\"sizeBytes\":100000}', ?, now(), now(), now() FROM generate_series(?, ?) g",
                jobId, sha, from, to - 1);
        jdbc.update("INSERT INTO task (kind, state, job_id, trial_id, device_id, attempts, max_attempts, created_at, updated_at) "
                + "SELECT k.kind, 'DONE', ?, t.id, CASE WHEN k.kind = 'MEASURE' THEN " + device + " END, 1, 3, now(), now() "
                + "FROM trial t CROSS JOIN (VALUES ('BUILD'), ('MEASURE')) k(kind) WHERE t.job_id = ? AND t.seq BETWEEN ? AND ?",
                jobId, jobId, from, to - 1);
        jdbc.update("INSERT INTO lease (id, task_id, worker_id, state, attempt, expires_at, result, created_at, finished_at) "
                + "SELECT gen_random_uuid(), k.id, gen_random_uuid(), 'COMPLETED', 1, now(), '{\"accuracy\":88.0}', now(), now() "
                + "FROM task k JOIN trial t ON t.id = k.trial_id WHERE t.job_id = ? AND t.seq BETWEEN ? AND ?", jobId, from, to - 1);
        jdbc.update("INSERT INTO measurement (trial_id, device_id, median_ms, metrics, measured_at) SELECT t.id, " + device
                + ", 3 + random(), '{\"medianMs\":3.5}', now() FROM trial t WHERE t.job_id = ? AND t.seq BETWEEN ? AND ?", jobId, from, to - 1);
        jdbc.execute("ANALYZE");
    }

    /** Removes the benchmark's work trials (seq >= first) and everything they left, keeping the history level. */
    private void dropFrom(int first) {
        String trialsOf = "SELECT id FROM trial WHERE job_id = '" + jobId + "' AND seq >= " + first;
        jdbc.update("DELETE FROM lease WHERE task_id IN (SELECT id FROM task WHERE trial_id IN (" + trialsOf + "))");
        jdbc.update("DELETE FROM task WHERE trial_id IN (" + trialsOf + ")");
        jdbc.update("DELETE FROM measurement WHERE trial_id IN (" + trialsOf + ")");
        jdbc.update("DELETE FROM trial WHERE job_id = ? AND seq >= ?", jobId, first);
        jdbc.execute("VACUUM ANALYZE");
    }

    /** Fresh queued trials with their BUILD tasks: the work the simulated workers consume. Returns the first seq. */
    private int queue(int n) {
        jdbc.update("UPDATE task SET state = 'CANCELLED' WHERE state = 'QUEUED' AND kind = 'BUILD'");
        int from = seq;
        seq += n;
        jdbc.update("INSERT INTO trial (id, job_id, seq, config, fidelity, state, created_at) SELECT gen_random_uuid(), ?, g, "
                + "'{\"layers\":{\"fc1\":{\"prune\":{\"scheme\":\"block\",\"rate\":0.5,\"block\":[4,16]}}}}', 1, 'QUEUED', now() "
                + "FROM generate_series(?, ?) g", jobId, from, seq - 1);
        jdbc.update("INSERT INTO task (kind, state, job_id, trial_id, attempts, max_attempts, created_at, updated_at) "
                + "SELECT 'BUILD', 'QUEUED', job_id, id, 0, 3, now(), now() FROM trial WHERE job_id = ? AND seq BETWEEN ? AND ?",
                jobId, from, seq - 1);
        jdbc.execute("VACUUM ANALYZE task");
        return from;
    }

    private double bytesPerTrial() {
        Long bytes = jdbc.queryForObject("SELECT pg_total_relation_size('trial') + pg_total_relation_size('task') "
                + "+ pg_total_relation_size('lease') + pg_total_relation_size('measurement')", Long.class);
        Long trials = jdbc.queryForObject("SELECT count(*) FROM trial", Long.class);
        return bytes / (double) Math.max(1, trials);
    }

    private JsonNode post(String path, String json) {
        return post(setupHttp, path, json);
    }

    private static JsonNode post(LoopbackHttp http, String path, String json) {
        LoopbackHttp.Response r = json == null
                ? http.post("/api/v1" + path, "application/octet-stream", "bench-artifact".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                : http.postJson("/api/v1" + path, json);
        if (r.status() >= 300) throw new IllegalStateException(path + " -> " + r.status() + " " + r.body());
        return JSON.readTree(r.body());
    }

    private static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
        return fallback;
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
    }
}
