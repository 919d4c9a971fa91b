package dev.frontier.worker.measure;


import dev.frontier.worker.compile.nativ.NativeBuild;
import dev.frontier.worker.compile.nativ.NativeTarget;
import dev.frontier.worker.compile.nativ.NativeToolchain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a built bundle's harness as a subprocess (Java 17 has no stable FFM; a subprocess is also what
 * runs unchanged under qemu or on a board): {@code time} for latency, {@code run} for outputs.
 * The command is {@code $FRONTIER_NATIVE_PREFIX} (e.g. "taskset -c 1"), then the build's emulator
 * (qemu-user for a cross build, see {@link NativeBuild#emulator()}), then the harness.
 */
public final class NativeRunner {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final NativeBuild build;

    public NativeRunner(NativeBuild build) {
        this.build = build;
    }

    /** Whether the harness runs under an emulator (a cross build on a foreign host). */
    public boolean emulated() {
        return !build.emulator().isEmpty();
    }

    /**
     * The latency protocol on real hardware only: an emulated build is refused, so an emulator's
     * milliseconds cannot pass for a device's; {@link #timing} returns them labelled.
     */
    public LatencyResult time(LatencyProtocol.Options o) {
        if (emulated()) {
            throw new IllegalStateException("the harness runs under " + String.join(" ", build.emulator())
                    + ": its timings are emulated; use NativeRunner.timing, which labels them");
        }
        return timing(o).latency();
    }

    /**
     * The latency protocol, run by the harness itself (native clock, no JVM in the loop); 1 thread;
     * labelled with the target triple and whether it ran under an emulator.
     */
    public NativeTiming timing(LatencyProtocol.Options o) {
        NativeToolchain tc = build.toolchain();
        return new NativeTiming(measure(o), tc == null ? NativeTarget.HOST : tc.triple(), emulated());
    }

    @SuppressWarnings("unchecked")
    private LatencyResult measure(LatencyProtocol.Options o) {
        String out = exec(List.of("time", fmt(o.warmupMs()), Integer.toString(o.repeat()), fmt(o.minRepeatMs()),
                Integer.toString(o.warmupRuns())));
        String line = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("harness printed no result: " + out));
        Map<String, Object> m = JSON.readValue(line, Map.class);
        Map<String, Double> layers = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("layers")).forEach((k, v) -> layers.merge(k, ((Number) v).doubleValue(), Double::sum));
        double median = num(m, "median_ms");
        return new LatencyResult(median, num(m, "p10_ms"), num(m, "p90_ms"), num(m, "stdev_ms"),
                ((Number) m.get("repeat")).intValue(), ((Number) m.get("number")).intValue(), 1, layers, false);
    }

    /** Runs n inputs (each {@code inSize} floats, back to back) and returns the n outputs back to back. */
    public float[] run(float[] inputs, int outSize, int n) {
        try {
            Path in = Files.createTempFile("frontier-in", ".f32");
            Path out = Files.createTempFile("frontier-out", ".f32");
            try {
                ByteBuffer b = ByteBuffer.allocate(inputs.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(inputs);
                Files.write(in, b.array());
                exec(List.of("run", in.toString(), out.toString()));
                byte[] bytes = Files.readAllBytes(out);
                if (bytes.length != n * outSize * 4) {
                    throw new IllegalStateException("harness wrote " + bytes.length + " bytes, expected " + n * outSize * 4);
                }
                float[] y = new float[n * outSize];
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(y);
                return y;
            } finally {
                Files.deleteIfExists(in);
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String exec(List<String> args) {
        List<String> cmd = new ArrayList<>();
        String prefix = System.getenv("FRONTIER_NATIVE_PREFIX");
        if (prefix != null && !prefix.isBlank()) {
            cmd.addAll(List.of(prefix.trim().split("\\s+")));
        }
        cmd.addAll(build.emulator());
        cmd.add(build.harness().toAbsolutePath().toString());
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("harness failed: " + String.join(" ", cmd) + "\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static double num(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).doubleValue();
    }
}
