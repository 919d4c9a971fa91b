package dev.frontier.worker.runtime;

import dev.frontier.worker.contract.RuntimeDetails;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.nativ.NativeBuild;
import dev.frontier.worker.compile.nativ.NativeToolchain;
import dev.frontier.worker.measure.LatencyProtocol;
import dev.frontier.worker.measure.LatencyResult;
import dev.frontier.worker.measure.NativeRunner;

/**
 * The generated C bundle (what a user ships), built on the device with the device's own C compiler
 * and timed by its harness: the same steps a board or phone build does. The build workers made the
 * bundle once; each device compiles it for itself (cached by bundle and toolchain).
 */
final class NativeRuntime extends NamedRuntime {
    private static final long MAX_BUNDLE_BYTES = 512L << 20;
    private final NativeToolchain toolchain;
    private final Path cache;

    NativeRuntime(NativeToolchain toolchain, Path cache) {
        super("frontier-native");
        this.toolchain = toolchain;
        this.cache = cache;
    }

    @Override
    void describe(Map<String, Object> d) {
        d.put("compiler", toolchain.compiler() + " " + toolchain.version());
        d.put("target", toolchain.triple());
        d.put("features", toolchain.cpuFeatures());
        d.put("emulated", toolchain.emulated());
    }

    @Override
    public Prepared prepare(Path bundleZip, int threads) {
        NativeBuild build = built(bundleZip);
        NativeRunner runner = new NativeRunner(build);
        return new Prepared() {
            @Override
            public LatencyResult time(LatencyProtocol.Options options) {
                // under an emulator the timing is kept but labelled (details): it is not what a device does
                return runner.timing(options).latency();
            }

            @Override
            public RuntimeDetails details() {
                return new RuntimeDetails().compiler(toolchain.describe())
                        .kernels(toolchain.vectorKernels() ? RuntimeDetails.KernelsEnum.VECTOR : RuntimeDetails.KernelsEnum.SCALAR)
                        .emulated(runner.emulated() ? Boolean.TRUE : null);
            }

            @Override
            public void close() {
                // a subprocess per timing: nothing stays open
            }
        };
    }

    /** The bundle unpacked and compiled once per (bundle, toolchain). */
    private NativeBuild built(Path bundleZip) {
        try {
            String key = Artifact.sha256((Artifact.sha256(Files.readAllBytes(bundleZip)) + "|" + toolchain.describe())
                    .getBytes(StandardCharsets.UTF_8)).substring(0, 24);
            return NativeBuild.cached(cache, key, toolchain, !toolchain.vectorKernels(), dir -> unzip(bundleZip, dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bundle's files (one top folder) flattened into {@code dir}; nothing may escape it. */
    static void unzip(Path zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        long total = 0;
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) {
                if (e.isDirectory()) continue;
                String name = Path.of(e.getName()).getFileName().toString();
                if (name.isEmpty() || name.startsWith(".")) {
                    throw new IllegalArgumentException("unexpected entry in the native bundle: " + e.getName());
                }
                byte[] bytes = z.readAllBytes();
                total += bytes.length;
                if (total > MAX_BUNDLE_BYTES) throw new IllegalArgumentException("native bundle larger than 512 MiB unpacked");
                Files.write(dir.resolve(name), bytes);
            }
        }
        if (!Files.exists(dir.resolve("frontier_model.c"))) {
            throw new IllegalArgumentException("not a Frontier native bundle (no frontier_model.c)");
        }
    }
}
