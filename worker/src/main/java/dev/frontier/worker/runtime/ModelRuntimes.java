package dev.frontier.worker.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.frontier.worker.compile.nativ.NativeToolchain;

/**
 * The runtimes this machine can measure with: the Java runtime always, the native one when a C
 * compiler is installed (for $FRONTIER_NATIVE_TARGET when set, e.g. aarch64 under qemu: emulated), ONNX Runtime when its library loads. A new runtime is registered here.
 */
public final class ModelRuntimes {
    private ModelRuntimes() {
    }

    /** Detected runtimes, restricted to {@code only} when it is non-empty (unknown names are an error). */
    public static List<ModelRuntime> detect(List<String> only, Path workDir) {
        List<ModelRuntime> all = new ArrayList<>();
        all.add(new JvmRuntime());
        NativeToolchain.configured().ifPresent(tc -> all.add(new NativeRuntime(tc, workDir.resolve("native-builds"))));
        ortIfLoadable().ifPresent(all::add);
        if (only == null || only.isEmpty()) return all;
        List<ModelRuntime> picked = new ArrayList<>();
        for (String name : only) {
            ModelRuntime r = all.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("runtime " + name + " is not available here (available: "
                            + all.stream().map(ModelRuntime::name).toList() + ")"));
            picked.add(r);
        }
        return picked;
    }

    public static Optional<ModelRuntime> byName(List<ModelRuntime> runtimes, String name) {
        return runtimes.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    private static Optional<ModelRuntime> ortIfLoadable() {
        try {
            dev.frontier.worker.onnx.OrtModel.version();
            return Optional.of(new OrtRuntime());
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    }
}
