package dev.frontier.worker.compile.nativ;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import dev.frontier.worker.compile.Plan;

/**
 * The native variant of a compiled plan as one downloadable zip (sources and build recipe, no build
 * products): what a build worker uploads so that each measuring device compiles it with its own
 * compiler, and what a user ships. Its Makefile defaults to {@code -O3 -march=native}: the machine
 * that builds it is the one that runs it.
 */
public final class NativeBundle {
    private NativeBundle() {
    }

    /** @throws UnsupportedOperationException when the generator has no kernel for one of the plan's layers */
    public static byte[] zip(Plan plan) {
        NativeToolchain portable = new NativeToolchain("cc", "-O3 -march=native", "any", NativeTarget.hostArch(), List.of(),
                List.of());
        Map<String, String> files = NativeBuild.sources(plan, portable);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                ZipEntry e = new ZipEntry("frontier-native/" + f.getKey());
                e.setTime(0); // the same plan gives the same bytes, so the same sha256
                z.putNextEntry(e);
                z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
