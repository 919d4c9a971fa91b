package dev.frontier.worker.compile;

import dev.frontier.worker.compile.kernel.Vec;
import dev.frontier.worker.compile.op.Op;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import tools.jackson.databind.json.JsonMapper;

/**
 * Per-layer auto-tuning: every op with several kernel variants (tilings) is timed on this machine
 * with each variant, and with and without splitting across threads when tuning for more than one
 * thread; the fastest is kept in the plan. Choices are cached per device fingerprint and layer
 * signature in a small JSON file, so a layer shape is tuned once per device.
 */
public final class Tuner {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final int WARMUP_CALLS = 300;
    static final long WARMUP_NANOS = 200_000_000L;
    static final int SAMPLES = 7;
    static final long SAMPLE_NANOS = 1_000_000L;

    private Tuner() {
    }

    /** CPU model, cores, vector width, JVM: what decides which kernel variant wins. */
    public static String deviceFingerprint() {
        String cpu = "unknown-cpu";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the OS arch stands in for the CPU
            cpu = System.getProperty("os.arch");
        }
        String raw = cpu + "-" + Runtime.getRuntime().availableProcessors() + "c-v" + Vec.S.vectorBitSize() + "-jdk"
                + Runtime.version().feature();
        return raw.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** The JSON cache: {@code <dir>/<device>.json} mapping "signature|tN" to the chosen variant. */
    public static final class Cache {
        private final Path file;
        private final Map<String, Map<String, Object>> choices = new LinkedHashMap<>();

        @SuppressWarnings("unchecked")
        public Cache(Path dir) {
            this.file = dir.resolve(deviceFingerprint() + ".json");
            if (Files.isRegularFile(file)) {
                try {
                    Map<String, Object> m = JSON.readValue(file.toFile(), Map.class);
                    Object c = m.get("choices");
                    if (c instanceof Map<?, ?> cm) {
                        choices.putAll((Map<String, Map<String, Object>>) cm);
                    }
                } catch (RuntimeException e) {
                    // a corrupt cache only costs a re-tune
                }
            }
        }

        /** {@code -Dfrontier.tuning.dir}, else {@code FRONTIER_TUNING_DIR}, else ~/.frontier/tuning. */
        public static Cache fromEnvironment() {
            String d = System.getProperty("frontier.tuning.dir", System.getenv("FRONTIER_TUNING_DIR"));
            return new Cache(d != null ? Path.of(d) : Path.of(System.getProperty("user.home"), ".frontier", "tuning"));
        }

        public Path file() {
            return file;
        }

        Map<String, Object> get(String key) {
            return choices.get(key);
        }

        void put(String key, int variant, boolean parallel, double micros) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("variant", variant);
            c.put("parallel", parallel);
            c.put("micros", Math.round(micros * 100) / 100.0);
            choices.put(key, c);
        }

        void save() {
            try {
                Files.createDirectories(file.getParent());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("device", deviceFingerprint());
                m.put("choices", choices);
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                System.err.println("warning: cannot save tuning cache " + file + ": " + e.getMessage());
            }
        }
    }

    /** Tunes {@code plan}'s ops in place (variant + parallel flag) and records choices in the metadata. */
    public static void tune(Plan plan, int threads, Cache cache) {
        List<Op> ops = plan.ops();
        float[] input = new float[plan.inputLayout().shape().size()];
        Random r = new Random(1);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) r.nextGaussian();
        }
        boolean dirty = false;
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            boolean[] splits = threads > 1 ? new boolean[] {true, false} : new boolean[] {op.parallel()};
            if (op.variants().length < 2 && splits.length < 2) {
                continue;
            }
            String key = op.signature() + "|t" + threads;
            Map<String, Object> hit = cache == null ? null : cache.get(key);
            if (hit != null && contains(op.variants(), ((Number) hit.get("variant")).intValue())) {
                op.variant(((Number) hit.get("variant")).intValue());
                op.parallel(Boolean.TRUE.equals(hit.get("parallel")));
            } else {
                double best = Double.MAX_VALUE;
                int bestV = op.variant();
                boolean bestP = op.parallel();
                for (int v : op.variants()) {
                    for (boolean p : splits) {
                        op.variant(v);
                        op.parallel(p);
                        double t = time(plan, i, threads, input);
                        if (t < best) {
                            best = t;
                            bestV = v;
                            bestP = p;
                        }
                    }
                }
                op.variant(bestV);
                op.parallel(bestP);
                if (cache != null) {
                    cache.put(key, bestV, bestP, best / 1000.0);
                    dirty = true;
                }
            }
            chosen.add(op.name() + ":" + op.variant() + (op.parallel() ? "" : "s"));
        }
        if (dirty) {
            cache.save();
        }
        plan.metadata().put("tuning", "device=" + deviceFingerprint() + ";threads=" + threads + ";" + String.join(",", chosen));
    }

    private static boolean contains(int[] a, int v) {
        return Arrays.stream(a).anyMatch(x -> x == v);
    }

    /** Median nanoseconds of one call of op {@code i}, after a warm-up that lets C2 compile it. */
    static double time(Plan plan, int i, int threads, float[] input) {
        try (Executor ex = new Executor(plan, threads, false)) {
            float[] out = new float[ex.outputSize()];
            ex.run(input, out);
            long start = System.nanoTime();
            for (int k = 0; k < WARMUP_CALLS && System.nanoTime() - start < WARMUP_NANOS; k++) {
                ex.runStep(i);
            }
            int n = 1;
            while (true) {
                long t0 = System.nanoTime();
                for (int k = 0; k < n; k++) {
                    ex.runStep(i);
                }
                if (System.nanoTime() - t0 >= SAMPLE_NANOS || n >= 1 << 16) {
                    break;
                }
                n *= 2;
            }
            double[] s = new double[SAMPLES];
            for (int j = 0; j < SAMPLES; j++) {
                long t0 = System.nanoTime();
                for (int k = 0; k < n; k++) {
                    ex.runStep(i);
                }
                s[j] = (double) (System.nanoTime() - t0) / n;
            }
            Arrays.sort(s);
            return s[SAMPLES / 2];
        }
    }
}
