package dev.frontier.worker.train;

import ai.djl.engine.Engine;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One place that starts the PyTorch engine the way this project needs it: offline, with explicit
 * thread counts (read once per JVM, so they must be set before the first engine use) and with NNPACK
 * disabled (at batch 1 PyTorch otherwise prints "Could not initialize NNPACK" for every convolution).
 *
 * <p>Threads: {@code -Dai.djl.pytorch.num_threads=N} wins; otherwise {@code FRONTIER_THREADS}, else
 * every available processor. Page faults are slow on small VMs: run the JVM with
 * {@code GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184:glibc.malloc.top_pad=268435456}
 * (the launcher and Surefire do) for a ~2.5x faster training step.
 */
public final class DjlEngine {
    public static final String ENGINE = "PyTorch";
    private static volatile Engine engine;

    private DjlEngine() {
    }

    public static Engine get() {
        Engine e = engine;
        if (e == null) {
            synchronized (DjlEngine.class) {
                e = engine;
                if (e == null) {
                    configureDefaults();
                    e = Engine.getEngine(ENGINE);
                    disableNnpack();
                    engine = e;
                }
            }
        }
        return e;
    }

    /** Sets the engine's system properties unless the user already has; no effect after the engine started. */
    static void configureDefaults() {
        setIfAbsent("ai.djl.offline", "true");
        String threads = System.getenv("FRONTIER_THREADS");
        if (threads == null || threads.isBlank()) {
            threads = Integer.toString(Runtime.getRuntime().availableProcessors());
        }
        setIfAbsent("ai.djl.pytorch.num_threads", threads);
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.pytorch.jni.LibUtils", "warn");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * Runs {@code body} with PyTorch's grad mode off on this thread, then restores it. Grad mode is
     * per thread and on by default in a new thread (DJL switches it off only on the thread that
     * loaded the engine): inference there would record autograd graphs, and in-place edits of
     * weights (masks, loading) would be refused.
     */
    public static <T> T withoutGrad(java.util.function.Supplier<T> body) {
        get();
        boolean grad = ai.djl.pytorch.jni.JniUtils.isGradMode();
        if (grad) {
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        }
        try {
            return body.get();
        } finally {
            if (grad) {
                ai.djl.pytorch.jni.JniUtils.setGradMode(true);
            }
        }
    }

    public static void withoutGrad(Runnable body) {
        withoutGrad(() -> {
            body.run();
            return null;
        });
    }

    public static int threads() {
        return Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads",
                Integer.toString(Runtime.getRuntime().availableProcessors())));
    }

    /**
     * {@code at::globalContext().setUserEnabledNNPACK(false)} through JNA. Best effort: if the symbols
     * are not found (another libtorch build), the only cost is the warning spam.
     */
    private static void disableNnpack() {
        try {
            NativeLibrary torch = libtorch();
            if (torch == null) {
                return;
            }
            Pointer ctx = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            Function set = torch.getFunction("_ZN2at7Context20setUserEnabledNNPACKEb");
            set.invokeVoid(new Object[] {ctx, Boolean.FALSE});
        } catch (RuntimeException | LinkageError e) {
            // cosmetic only; see the class comment
        }
    }

    /** Whether PyTorch may use NNPACK (false once {@link #get()} ran), or null if it cannot be asked. */
    static Boolean nnpackEnabled() {
        get();
        try {
            NativeLibrary torch = libtorch();
            if (torch == null) {
                return null;
            }
            Pointer ctx = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            return (torch.getFunction("_ZNK2at7Context17userEnabledNNPACKEv").invokeInt(new Object[] {ctx}) & 0xff) != 0;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static NativeLibrary libtorch() {
        Path lib = Path.of(ai.djl.pytorch.jni.LibUtils.getLibtorchPath()).resolve("libtorch_cpu.so");
        return Files.isRegularFile(lib) ? NativeLibrary.getInstance(lib.toString()) : null;
    }
}
