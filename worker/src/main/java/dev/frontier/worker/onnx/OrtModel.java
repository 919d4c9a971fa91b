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

    private OrtModel(byte[] onnx, Shape input, int outputSize, int threads) {
        this.env = OrtEnvironment.getEnvironment();
        this.input = input;
        this.outputSize = outputSize;
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            this.session = env.createSession(onnx, o);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the exported model: " + e.getMessage(), e);
        }
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
             OrtSession.Result r = session.run(Map.of(OnnxExporter.INPUT, t))) {
            FloatBuffer out = ((OnnxTensor) r.get(0)).getFloatBuffer();
            float[] y = new float[out.remaining()];
            out.get(y);
            return y;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime inference failed: " + e.getMessage(), e);
        }
    }

    /** A prepared batch-1 inference for timing: the input tensor is made once, outputs are dropped. */
    Runnable timedRun(float[] chw) {
        try {
            OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(chw), new long[] {1, input.c(), input.h(), input.w()});
            Map<String, OnnxTensor> feed = Map.of(OnnxExporter.INPUT, t);
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
