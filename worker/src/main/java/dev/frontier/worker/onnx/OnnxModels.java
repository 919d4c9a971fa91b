package dev.frontier.worker.onnx;

import dev.frontier.worker.model.Graph;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** ONNX files <-> IR graphs. Reading fails with {@link OnnxModelException} (an InvalidModelException). */
public final class OnnxModels {
    private OnnxModels() {
    }

    public static Graph read(byte[] bytes) {
        return OnnxImporter.importModel(bytes);
    }

    public static Graph read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file + ": " + e.getMessage(), e);
        }
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
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, write(g));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model " + file + ": " + e.getMessage(), e);
        }
    }
}
