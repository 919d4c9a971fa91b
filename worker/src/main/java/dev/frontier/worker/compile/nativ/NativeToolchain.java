package dev.frontier.worker.compile.nativ;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An installed C compiler for a {@link NativeTarget}: the first of the target's compilers that answers
 * {@code --version}, its flags, and the triple its {@code -dumpmachine} reports. When that triple is
 * not this machine's architecture the built harness runs under {@link #emulator()} (qemu-user), and
 * {@code measure.NativeRunner.timing} labels its timings emulated. The CPU features (this host's, empty for a
 * cross target) say which kernels the generated code will take (AVX-512 or the scalar twins).
 */
public record NativeToolchain(String compiler, String cflags, String version, String triple, List<String> emulator,
                              List<String> cpuFeatures) {

    /** The host toolchain ({@code $FRONTIER_CC}, {@code $FRONTIER_CFLAGS} honoured), or empty without a compiler. */
    public static Optional<NativeToolchain> host() {
        return forTarget(NativeTarget.host());
    }

    /** The toolchain of {@code $FRONTIER_NATIVE_TARGET} (the host when unset), or empty without its compiler. */
    public static Optional<NativeToolchain> configured() {
        return forTarget(NativeTarget.fromEnv());
    }

    /** The first installed compiler of a target, or empty when none is. */
    public static Optional<NativeToolchain> forTarget(NativeTarget target) {
        for (String c : target.compilers()) {
            String v = ask(c, "--version");
            if (v != null) {
                String triple = ask(c, "-dumpmachine");
                triple = triple == null || triple.isBlank() ? target.isHost() ? NativeTarget.hostArch() : target.name()
                        : triple.trim();
                List<String> emulator = NativeTarget.emulatorFor(triple);
                return Optional.of(new NativeToolchain(c, target.cflags(), v, triple, emulator,
                        emulator.isEmpty() ? readCpuFeatures() : List.of()));
            }
        }
        return Optional.empty();
    }

    public static NativeToolchain require() {
        return host().orElseThrow(() -> new IllegalStateException(
                "no C compiler found (set FRONTIER_CC, or install gcc: apt-get install gcc)"));
    }

    /** Whether the harness this toolchain builds runs under an emulator (its timings say nothing of a device). */
    public boolean emulated() {
        return !emulator.isEmpty();
    }

    /** The first line of {@code cc arg}, or null when it cannot be run or fails. */
    static String ask(String cc, String arg) {
        try {
            Process p = new ProcessBuilder(cc, arg).redirectErrorStream(true).start();
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
        boolean x86 = NativeTarget.arch(triple).equals("x86_64");
        return x86 && (cflags.contains("-march=native") && cpuFeatures.contains("avx512f") || cflags.contains("avx512"));
    }

    public String describe() {
        return compiler + " (" + version + ", " + triple + ") " + cflags
                + (vectorKernels() ? ", AVX-512 kernels" : ", scalar kernels")
                + (emulated() ? ", run under " + String.join(" ", emulator) + " (emulated timings)" : "")
                + (cpuFeatures.isEmpty() ? "" : "; cpu " + String.join(" ", cpuFeatures));
    }
}
