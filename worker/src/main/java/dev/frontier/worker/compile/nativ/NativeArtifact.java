package dev.frontier.worker.compile.nativ;

import dev.frontier.worker.compile.Artifact;
import dev.frontier.worker.compile.Plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The native form of an artifact: a directory holding the JVM artifact ({@code model.fart}, unchanged
 * format), the C bundle generated from the same plan ({@code native/}) and the bundle's sources as a
 * zip (what a user downloads for a board or phone). Accuracy and latency of both describe one plan.
 */
public final class NativeArtifact {
    public static final String JVM_ARTIFACT = "model.fart";
    public static final String BUNDLE = "native";
    public static final String ZIP = "native-bundle.zip";

    private NativeArtifact() {
    }

    public static boolean isNativeArtifact(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(JVM_ARTIFACT))
                && Files.isRegularFile(dir.resolve(BUNDLE).resolve("frontier_model.c"));
    }

    /** Writes dir/model.fart, dir/native/ and dir/native-bundle.zip; builds the bundle when asked. */
    public static Map<String, Object> write(Plan plan, Path dir, boolean build, boolean quiet) {
        if (Files.isRegularFile(dir)) {
            throw new IllegalArgumentException("--target native writes a directory; " + dir + " is a file");
        }
        NativeTarget target = NativeTarget.fromEnv();
        NativeToolchain tc = build ? NativeToolchain.forTarget(target).orElseThrow(() -> new IllegalArgumentException(
                "no C compiler for " + target.name() + " (tried " + String.join(", ", target.compilers())
                        + "): install gcc (apt-get install gcc), set FRONTIER_CC, or pass --no-build"))
                : NativeToolchain.forTarget(target).orElse(new NativeToolchain(target.compilers().get(0),
                target.cflags(), "unknown", target.name(),
                target.isHost() ? List.of() : NativeTarget.emulatorFor(target.name()), List.of()));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Artifact.write(plan, dir.resolve(JVM_ARTIFACT));
        NativeBuild b = NativeBuild.write(plan, tc, dir.resolve(BUNDLE));
        b.zipSources(dir.resolve(ZIP));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("bundle", b.dir().toString());
        r.put("zip", dir.resolve(ZIP).toString());
        r.put("toolchain", tc.describe());
        if (build) {
            if (!quiet) {
                System.out.println("[compile] building the native bundle: " + tc.describe() + " ...");
            }
            long t0 = System.nanoTime();
            b.build(tc, false);
            r.put("harness", b.harness().toString());
            r.put("buildMs", (System.nanoTime() - t0) / 1_000_000);
        }
        return r;
    }

    /**
     * The built bundle of a native artifact directory, building it if needed with the toolchain of
     * {@code $FRONTIER_NATIVE_TARGET} (the host when unset), whose emulator then runs the harness.
     */
    public static NativeBuild built(Path dir) {
        Optional<NativeToolchain> tc = NativeToolchain.configured();
        NativeBuild b = NativeBuild.at(dir.resolve(BUNDLE), tc.orElse(null));
        if (!Files.isExecutable(b.harness())) {
            b.build(tc.orElseThrow(() -> new IllegalStateException("no C compiler for "
                    + NativeTarget.fromEnv().name() + " (set FRONTIER_CC, or install gcc: apt-get install gcc)")), false);
        }
        return b;
    }
}
