package dev.frontier.worker.compile;

import dev.frontier.worker.compile.kernel.Vec;
import dev.frontier.worker.compile.op.Op;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a plan, batch 1: the arena buffers are allocated once here and reused by every call. With
 * {@code threads > 1} each parallel op's units (output channels / row blocks) are split into
 * contiguous ranges, one per thread. Not thread-safe: one executor per concurrent caller.
 */
public final class Executor implements AutoCloseable {
    private final Plan plan;
    private final int threads;
    private final float[][] arena;
    private final Step[] steps;
    private final boolean[] parallel;
    private final String[] names;
    private final Layout inLayout;
    private final Layout outLayout;
    private final float[] inBuf;
    private final float[] outBuf;
    private final ExecutorService pool;

    public Executor(Plan plan) {
        this(plan, 1, Vec.SCALAR);
    }

    public Executor(Plan plan, int threads) {
        this(plan, threads, Vec.SCALAR);
    }

    public Executor(Plan plan, int threads, boolean scalar) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.plan = plan;
        this.threads = threads;
        int[] sizes = plan.bufferSizes();
        this.arena = new float[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            arena[i] = new float[sizes[i]];
        }
        Bindings b = new Bindings() {
            public float[] buffer(String value) {
                return arena[plan.buffers().get(value)];
            }

            public Layout layout(String value) {
                return plan.layouts().get(value);
            }
        };
        List<Op> ops = plan.ops();
        this.steps = new Step[ops.size()];
        this.parallel = new boolean[ops.size()];
        this.names = new String[ops.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = ops.get(i).bind(b, scalar);
            parallel[i] = ops.get(i).parallel();
            names[i] = ops.get(i).name();
        }
        this.inLayout = plan.inputLayout();
        this.outLayout = plan.outputLayout();
        this.inBuf = b.buffer(plan.input());
        this.outBuf = b.buffer(plan.output());
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "frontier-exec");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    public Plan plan() {
        return plan;
    }

    public int threads() {
        return threads;
    }

    public int inputSize() {
        return inLayout.shape().size();
    }

    public int outputSize() {
        return outLayout.shape().size();
    }

    /** Op names in execution order (index i matches the per-step timing array). */
    public List<String> stepNames() {
        return List.of(names);
    }

    /** Convenience: allocates the result. Use {@link #run(float[], float[])} in timed loops. */
    public float[] run(float[] input) {
        float[] out = new float[outputSize()];
        run(input, out);
        return out;
    }

    public void run(float[] input, float[] output) {
        run(input, output, null);
    }

    /** Runs once; when {@code stepNanos} is given, adds each step's wall time to it. */
    public void run(float[] input, float[] output, long[] stepNanos) {
        if (input.length != inputSize() || output.length != outputSize()) {
            throw new IllegalArgumentException("input/output sizes " + input.length + "/" + output.length
                    + " do not match the model (" + inputSize() + "/" + outputSize() + ")");
        }
        inLayout.scatter(input, inBuf);
        for (int i = 0; i < steps.length; i++) {
            long t0 = stepNanos == null ? 0 : System.nanoTime();
            runStep(i);
            if (stepNanos != null) {
                stepNanos[i] += System.nanoTime() - t0;
            }
        }
        outLayout.gather(outBuf, output);
    }

    /** Runs step {@code i} alone on whatever its buffers hold (the tuner times kernels this way). */
    void runStep(int i) {
        Step s = steps[i];
        s.prepare();
        int units = s.units();
        if (pool == null || !parallel[i] || units < 2) {
            s.run(0, units);
            return;
        }
        int parts = Math.min(threads, units);
        CountDownLatch done = new CountDownLatch(parts - 1);
        RuntimeException[] error = new RuntimeException[1];
        for (int p = 1; p < parts; p++) {
            int from = (int) ((long) units * p / parts);
            int to = (int) ((long) units * (p + 1) / parts);
            pool.execute(() -> {
                try {
                    s.run(from, to);
                } catch (RuntimeException e) {
                    error[0] = e;
                } finally {
                    done.countDown();
                }
            });
        }
        s.run(0, units / parts);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + names[i], e);
        }
        if (error[0] != null) {
            throw error[0];
        }
    }

    int stepCount() {
        return steps.length;
    }

    /** Batched loop for evaluation: {@code inputs} holds n inputs back to back, returns n outputs. */
    public float[] runBatch(float[] inputs, int n) {
        int in = inputSize();
        int out = outputSize();
        float[] x = new float[in];
        float[] y = new float[out];
        float[] all = new float[n * out];
        for (int k = 0; k < n; k++) {
            System.arraycopy(inputs, k * in, x, 0, in);
            run(x, y);
            System.arraycopy(y, 0, all, k * out, out);
        }
        return all;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Lists each op with its format for reports. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Op op : plan.ops()) {
            out.add(op.name() + " " + op.format() + " v" + op.variant() + " act=" + op.activation());
        }
        return out;
    }
}
