package dev.frontier.worker.runtime;

import dev.frontier.worker.contract.RuntimeDetails;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.frontier.worker.measure.LatencyProtocol;
import dev.frontier.worker.measure.LatencyResult;
import dev.frontier.worker.onnx.OrtLatency;
import dev.frontier.worker.onnx.OrtModel;

/**
 * ONNX Runtime (CPU) timing the trial's ONNX export, as an app shipping ORT would run it. Pruned
 * weights are zeros there (ORT has no kernel that skips them), filter-pruned layers are genuinely
 * narrower, int8 layers are QDQ: whatever ORT makes of that is what is measured.
 */
final class OrtRuntime extends NamedRuntime {
    OrtRuntime() {
        super("onnxruntime");
    }


    @Override
    void describe(Map<String, Object> d) {
        d.put("version", OrtModel.version());
    }

    @Override
    public Prepared prepare(Path artifact, int threads) {
        OrtModel model;
        try {
            model = OrtModel.fromOnnx(Files.readAllBytes(artifact), threads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Prepared() {
            @Override
            public LatencyResult time(LatencyProtocol.Options options) {
                return OrtLatency.measure(model, threads, options);
            }

            @Override
            public RuntimeDetails details() {
                return new RuntimeDetails().onnxruntimeVersion(OrtModel.version());
            }

            @Override
            public void close() {
                model.close();
            }
        };
    }
}
