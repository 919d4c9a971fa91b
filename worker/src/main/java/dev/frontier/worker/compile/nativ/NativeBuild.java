package dev.frontier.worker.compile.nativ;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.Plan;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A native bundle on disk: generated sources + build recipe for one plan, optionally built with the
 * toolchain into {@code libfrontier_model.so} and {@code frontier_harness}. Builds are cached by the
 * hash of sources and flags under {@code $FRONTIER_NATIVE_DIR} (default ~/.frontier/native).
 */
public final class NativeBuild {
    public static final String HARNESS = "frontier_harness";
    private final Path dir;
    /** What built (or will build) the harness; null = a host build, run directly. */
    private final NativeToolchain toolchain;

    private NativeBuild(Path dir, NativeToolchain toolchain) {
        this.dir = dir;
        this.toolchain = toolchain;
    }

    public Path dir() {
        return dir;
    }

    public Path harness() {
        return dir.resolve(HARNESS);
    }

    /** The toolchain the bundle is for, or null when unknown (a bundle found on disk: a host build). */
    public NativeToolchain toolchain() {
        return toolchain;
    }

    /** The command prefix that runs the harness (qemu-user for a cross build; empty for the host). */
    public List<String> emulator() {
        return toolchain == null ? List.of() : toolchain.emulator();
    }

    public static NativeBuild at(Path dir) {
        return new NativeBuild(dir, null);
    }

    /** A bundle on disk built (or to be built) by {@code tc}: its harness runs under tc's emulator. */
    public static NativeBuild at(Path dir, NativeToolchain tc) {
        return new NativeBuild(dir, tc);
    }

    /** File name -> content of the bundle for a plan. */
    public static Map<String, String> sources(Plan plan, NativeToolchain tc) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("frontier_model.h", BundleSources.API_HEADER);
        files.put("frontier_runtime.h", RuntimeSource.header());
        files.put("frontier_model.c", ModelEmitter.modelSource(plan));
        files.put("frontier_harness.c", BundleSources.HARNESS);
        // a host bundle keeps "cc" (the user's machine decides); a cross bundle names its compiler
        String cc = tc.emulated() ? tc.compiler() : "cc";
        files.put("Makefile", BundleSources.makefile(cc, tc.cflags()));
        files.put("build.sh", BundleSources.buildScript(cc, tc.cflags()));
        files.put("README.txt", """
                Frontier native model (generated). Build: make (or sh build.sh); CC / CFLAGS select a cross compiler.
                Use: frontier_model.h (create / run / destroy), link libfrontier_model.so or frontier_model.o.
                Time:  ./frontier_harness time [warmup_ms repeat min_repeat_ms]   -> one JSON line (median/p10/p90 ms)
                Run:   ./frontier_harness run inputs.f32 outputs.f32            (float32 C x H x W, back to back)
                -DFRONTIER_SCALAR (make scalar) forces the scalar reference kernels.
                Source model sha256: %s
                """.formatted(plan.metadata().getOrDefault("sourceSha256", "?")));
        return files;
    }

    /** Writes the bundle into {@code dir} (created) without building. */
    public static NativeBuild write(Plan plan, NativeToolchain tc, Path dir) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> f : sources(plan, tc).entrySet()) {
                Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
            }
            return new NativeBuild(dir, tc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built bundle of a plan from the cache, generating and compiling it on a miss. */
    public static NativeBuild cached(Plan plan, NativeToolchain tc, boolean scalar) {
        Map<String, String> files = sources(plan, tc);
        StringBuilder key = new StringBuilder(tc.compiler() + "|" + tc.version() + "|" + tc.cflags() + "|" + scalar);
        files.forEach((k, v) -> key.append('|').append(k).append('|').append(v));
        String hash = Artifact.sha256(key.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 20);
        return cached(cacheRoot(), hash, tc, scalar, dir -> write(plan, tc, dir));
    }

    /** Puts a bundle's sources into a fresh directory (generated from a plan, unpacked from a zip, ...). */
    public interface SourceWriter {
        void write(Path dir) throws IOException;
    }

    /**
     * The bundle built under {@code root/key}: on a miss its sources are written into a temporary
     * directory, built, and moved there, so a half-built bundle is never found; a concurrent build of
     * the same key that finishes first wins.
     */
    public static NativeBuild cached(Path root, String key, NativeToolchain tc, boolean scalar, SourceWriter sources) {
        NativeBuild b = new NativeBuild(root.resolve(key), tc);
        if (Files.isExecutable(b.harness())) {
            return b;
        }
        try {
            Path tmp = Files.createDirectories(root).resolve(key + ".tmp" + ProcessHandle.current().pid());
            sources.write(tmp);
            new NativeBuild(tmp, tc).build(tc, scalar);
            try {
                Files.move(tmp, b.dir());
            } catch (IOException raced) {
                // another process built the same bundle first: use theirs
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path cacheRoot() {
        String env = System.getenv("FRONTIER_NATIVE_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".frontier", "native");
    }

    /** Compiles with -Wall -Werror: the object, the shared library and the harness. */
    public void build(NativeToolchain tc, boolean scalar) {
        List<String> flags = new ArrayList<>(List.of(tc.cflags().trim().split("\\s+")));
        if (scalar) {
            flags.add("-DFRONTIER_SCALAR");
        }
        // no fused multiply-add unless written: the int8 epilogue must round as the JVM does
        List<String> warn = List.of("-std=gnu11", "-ffp-contract=off", "-Wall", "-Werror");
        run(cmd(tc, flags, warn, "-fPIC", "-c", "frontier_model.c", "-o", "frontier_model.o"));
        run(cmd(tc, flags, List.of(), "-shared", "-o", "libfrontier_model.so", "frontier_model.o", "-lm"));
        run(cmd(tc, flags, warn, "-o", HARNESS, "frontier_harness.c", "frontier_model.o", "-lm"));
    }

    private static List<String> cmd(NativeToolchain tc, List<String> flags, List<String> warn, String... rest) {
        List<String> c = new ArrayList<>();
        c.add(tc.compiler());
        c.addAll(flags);
        c.addAll(warn);
        c.addAll(List.of(rest));
        return c;
    }

    private void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("native build timed out: " + String.join(" ", command));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("native build failed in " + dir + ": " + String.join(" ", command) + "\n"
                        + out.lines().limit(40).reduce("", (a, b) -> a + b + "\n"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building " + dir, e);
        }
    }

    /** Which generated kernel runs an op, for reports; "unsupported" when the generator has none yet. */
    public static String kernelOf(dev.frontier.worker.compile.op.Op op) {
        try {
            return ModelEmitter.kernelOf(NativeOps.read(op));
        } catch (UnsupportedOperationException e) {
            return "unsupported";
        }
    }

    /** The source bundle (no build products) as a zip, the downloadable form of the native variant. */
    public void zipSources(Path zip) {
        try (OutputStream os = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(os)) {
            for (String name : List.of("frontier_model.h", "frontier_runtime.h", "frontier_model.c",
                    "frontier_harness.c", "Makefile", "build.sh", "README.txt")) {
                z.putNextEntry(new ZipEntry("frontier-native/" + name));
                z.write(Files.readAllBytes(dir.resolve(name)));
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
