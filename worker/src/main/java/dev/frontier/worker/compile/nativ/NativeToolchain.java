package dev.frontier.worker.compile.nativ;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The device's C compiler: {@code $FRONTIER_CC}, else the first of cc / gcc / clang on the PATH, with
 * {@code -O3 -march=native} (override with {@code $FRONTIER_CFLAGS}; a cross build sets both). The
 * CPU features say which kernels the generated code will take (AVX-512 or the scalar twins).
 */
public record NativeToolchain(String compiler, String cflags, String version, List<String> cpuFeatures) {

    /** The host toolchain, or empty when no C compiler is installed. */
    public static Optional<NativeToolchain> host() {
        String cc = System.getenv("FRONTIER_CC");
        List<String> candidates = cc != null && !cc.isBlank() ? List.of(cc) : List.of("cc", "gcc", "clang");
        String flags = System.getenv().getOrDefault("FRONTIER_CFLAGS", "-O3 -march=native");
        for (String c : candidates) {
            String v = versionOf(c);
            if (v != null) {
                return Optional.of(new NativeToolchain(c, flags, v, readCpuFeatures()));
            }
        }
        return Optional.empty();
    }

    public static NativeToolchain require() {
        return host().orElseThrow(() -> new IllegalStateException(
                "no C compiler found (set FRONTIER_CC, or install gcc: apt-get install gcc)"));
    }

    private static String versionOf(String cc) {
        try {
            Process p = new ProcessBuilder(cc, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out.lines().findFirst().orElse(cc);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** x86 / ARM feature flags that matter to the generated kernels, from /proc/cpuinfo (Linux). */
    static List<String> readCpuFeatures() {
        List<String> out = new ArrayList<>();
        try {
            String info = Files.readString(Path.of("/proc/cpuinfo"));
            String flags = info.lines().filter(l -> l.startsWith("flags") || l.startsWith("Features")).findFirst()
                    .orElse("");
            for (String f : List.of("avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx_vnni",
                    "asimd", "asimddp")) {
                if ((" " + flags + " ").contains(" " + f + " ")) {
                    out.add(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the compiler's -march decides, the report just lacks the list
        }
        return out;
    }

    /** Whether code built with these flags on this host takes the AVX-512 kernels. */
    public boolean vectorKernels() {
        return cflags.contains("-march=native") && cpuFeatures.contains("avx512f") || cflags.contains("avx512");
    }

    public String describe() {
        return compiler + " (" + version + ") " + cflags + (vectorKernels() ? ", AVX-512 kernels" : ", scalar kernels")
                + (cpuFeatures.isEmpty() ? "" : "; cpu " + String.join(" ", cpuFeatures));
    }
}
