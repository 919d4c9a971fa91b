package dev.frontier.worker.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Shape;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * A graph exported to ONNX and loaded into an ONNX Runtime CPU session: the second peer that checks
 * the export and times the model with a runtime a device might actually ship. Not thread-safe.
 */
public final class OrtModel implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final Shape input;
    private final int outputSize;
    private final String inputName;

    private OrtModel(byte[] onnx, Shape input, int outputSize, int threads) {
        this.env = OrtEnvironment.getEnvironment();
        this.session = open(env, onnx, threads);
        try {
            this.inputName = input != null ? OnnxExporter.INPUT : session.getInputNames().iterator().next();
            this.input = input != null ? input : imageShape(session.getInputInfo().get(inputName), "input");
            this.outputSize = outputSize > 0 ? outputSize
                    : imageShape(session.getOutputInfo().values().iterator().next(), "output").size();
        } catch (OrtException | RuntimeException e) {
            close();
            throw new IllegalStateException("ONNX Runtime cannot describe the model's input/output: " + e.getMessage(), e);
        }
    }

    private static OrtSession open(OrtEnvironment env, byte[] onnx, int threads) {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(onnx, o);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the exported model: " + e.getMessage(), e);
        }
    }

    /** (N,) C, H, W of a tensor whose batch may be symbolic; a flat (N, K) output is 1 x 1 x K. */
    private static Shape imageShape(ai.onnxruntime.NodeInfo info, String what) {
        long[] d = ((ai.onnxruntime.TensorInfo) info.getInfo()).getShape();
        if (d.length == 4) return new Shape((int) d[1], (int) d[2], (int) d[3]);
        if (d.length == 2) return new Shape(1, 1, (int) d[1]);
        throw new IllegalStateException("the model's " + what + " has rank " + d.length + "; expected N x C x H x W (or N x K)");
    }

    /**
     * A session on ONNX bytes as they come (e.g. a trial's export downloaded by a measuring device):
     * input and output sizes read from the model itself, batch dimension 1.
     */
    public static OrtModel fromOnnx(byte[] onnx, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return new OrtModel(onnx, null, 0, threads);
    }

    /** The ONNX Runtime library version this worker runs. */
    public static String version() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    /** Exports {@code g} (see {@link OnnxExporter}) and opens a session with {@code threads} intra-op threads. */
    public static OrtModel of(Graph g, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        return new OrtModel(OnnxModels.write(g), g.inputShape(), g.shape(g.output().name()).size(), threads);
    }

    public int inputSize() {
        return input.size();
    }

    public int outputSize() {
        return outputSize;
    }

    /** One image (C x H x W) -> the output (logits). */
    public float[] run(float[] chw) {
        return runBatch(chw, 1);
    }

    /** {@code n} images laid out one after another -> {@code n} outputs one after another. */
    public float[] runBatch(float[] nchw, int n) {
        if (nchw.length != n * input.size()) {
            throw new IllegalArgumentException("expected " + n + " x " + input.size() + " values, got " + nchw.length);
        }
        long[] shape = {n, input.c(), input.h(), input.w()};
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(nchw), shape);
             OrtSession.Result r = session.run(Map.of(inputName, t))) {
            FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] y = new float[out.remaining()];
            out.get(y);
            return y;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime inference failed: " + e.getMessage(), e);
        }
    }

    /** A prepared batch-1 inference for timing: the input tensor is made once, outputs are dropped. */
    public Runnable timedRun(float[] chw) {
        try {
            OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(chw), new long[] {1, input.c(), input.h(), input.w()});
            Map<String, OnnxTensor> feed = Map.of(inputName, t);
            return () -> {
                try (OrtSession.Result r = session.run(feed)) {
                    if (r.size() != 1) {
                        throw new IllegalStateException("unexpected outputs");
                    }
                } catch (OrtException e) {
                    throw new IllegalStateException("ONNX Runtime inference failed: " + e.getMessage(), e);
                }
            };
        } catch (OrtException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
