package dev.frontier.worker.onnx;

import dev.frontier.worker.model.FileBytes;
import dev.frontier.worker.model.Graph;

import java.nio.file.Path;

/** ONNX files <-> IR graphs. Reading fails with {@link OnnxModelException} (an InvalidModelException). */
public final class OnnxModels {
    private OnnxModels() {
    }

    public static Graph read(byte[] bytes) {
        return OnnxImporter.importModel(bytes);
    }

    public static Graph read(Path file) {
        byte[] bytes = FileBytes.read(file, "model");
        try {
            return read(bytes);
        } catch (UnsupportedOnnxModelException e) {
            throw e;
        } catch (OnnxModelException e) {
            throw new OnnxModelException(file + ": " + e.getMessage());
        }
    }

    /** The graph as an opset-13 ONNX model (see {@link OnnxExporter} for how compression is written). */
    public static byte[] write(Graph g) {
        return OnnxExporter.export(g).toByteArray();
    }

    public static void write(Graph g, Path file) {
        FileBytes.write(file, write(g), "model");
    }
}
