package dev.frontier.worker.compile.nativ;

import java.util.List;
import java.util.Locale;

/**
 * What a native bundle is built for: the compilers to try and the flags. {@link #host()} is this
 * machine ({@code cc} / {@code gcc} / {@code clang}, {@code -O3 -march=native}); {@link #aarch64()} or
 * {@link #of(String)} a cross target such as {@code aarch64-linux-gnu}, built with
 * {@code <triple>-gcc -O3} (no {@code -march}: the code then runs on any core of the architecture, and
 * without AVX-512 every layer takes its scalar twin). {@link NativeToolchain#forTarget} resolves a
 * target to an installed compiler; the compiler's {@code -dumpmachine} says what the code runs on, and
 * when that is a foreign architecture the harness is run under qemu-user (see {@link #emulatorFor}),
 * and its timings are labelled emulated.
 *
 * <p>Environment: {@code FRONTIER_NATIVE_TARGET=aarch64-linux-gnu} (any GNU triple; unset or
 * {@code host} = this machine) picks the target of {@link #fromEnv()}, which {@code compile --target
 * native} and {@code eval} use; {@code FRONTIER_CC} and {@code FRONTIER_CFLAGS} override the compiler
 * and the flags of any target.
 */
public record NativeTarget(String name, List<String> compilers, String cflags) {
    public static final String HOST = "host";

    /** This machine, with {@code FRONTIER_CC} / {@code FRONTIER_CFLAGS} applied. */
    public static NativeTarget host() {
        return withEnv(new NativeTarget(HOST, List.of("cc", "gcc", "clang"), "-O3 -march=native"));
    }

    /** 64-bit ARM Linux (Debian's gcc-aarch64-linux-gnu; qemu-user runs it on other hosts). */
    public static NativeTarget aarch64() {
        return of("aarch64-linux-gnu");
    }

    /** A GNU triple: the host when it names this machine's architecture, else {@code <triple>-gcc -O3}. */
    public static NativeTarget of(String triple) {
        if (triple == null || triple.isBlank() || triple.equals(HOST) || arch(triple).equals(hostArch())) {
            return host();
        }
        return withEnv(new NativeTarget(triple, List.of(triple + "-gcc"), "-O3"));
    }

    /** The target named by {@code $FRONTIER_NATIVE_TARGET}, else the host. */
    public static NativeTarget fromEnv() {
        return of(System.getenv("FRONTIER_NATIVE_TARGET"));
    }

    public boolean isHost() {
        return name.equals(HOST);
    }

    private static NativeTarget withEnv(NativeTarget t) {
        String cc = System.getenv("FRONTIER_CC");
        String flags = System.getenv("FRONTIER_CFLAGS");
        return new NativeTarget(t.name, cc != null && !cc.isBlank() ? List.of(cc) : t.compilers,
                flags != null && !flags.isBlank() ? flags : t.cflags);
    }

    /** The architecture of a triple (its first part), as the JVM would name the same machine. */
    static String arch(String triple) {
        String a = triple.split("-", 2)[0].toLowerCase(Locale.ROOT);
        return switch (a) {
            case "amd64", "x86_64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            default -> a.matches("i[3-6]86") ? "i386" : a;
        };
    }

    static String hostArch() {
        return arch(System.getProperty("os.arch", "unknown"));
    }

    /**
     * The command that runs a binary built for {@code triple} on this machine: nothing for this
     * machine's architecture, else qemu-user with the cross libc as sysroot (Debian puts it in
     * /usr/TRIPLE), e.g. {@code qemu-aarch64 -L /usr/aarch64-linux-gnu}.
     */
    public static List<String> emulatorFor(String triple) {
        String a = arch(triple);
        if (a.equals(hostArch())) {
            return List.of();
        }
        String qemu = a.startsWith("arm") ? "arm" : a;
        return List.of("qemu-" + qemu, "-L", "/usr/" + triple);
    }
}
