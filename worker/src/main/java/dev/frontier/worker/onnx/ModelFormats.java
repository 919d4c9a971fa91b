package dev.frontier.worker.onnx;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.InvalidModelException;
import dev.frontier.worker.model.ModelFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * One entry point for model bytes of either format: a Frontier model file starts with the magic
 * {@code FRIR}; anything else is tried as ONNX (ONNX has no magic; a protobuf ModelProto usually
 * starts with field 1, ir_version, i.e. byte 0x08). Failures are {@link InvalidModelException}s.
 */
public final class ModelFormats {
    public enum Format {
        FRIR, ONNX;

        public String extension() {
            return "." + name().toLowerCase(Locale.ROOT);
        }
    }

    private static final byte[] FRIR_MAGIC = "FRIR".getBytes(StandardCharsets.US_ASCII);

    private ModelFormats() {
    }

    public static Format detect(byte[] bytes) {
        return bytes != null && bytes.length >= 4 && Arrays.equals(bytes, 0, 4, FRIR_MAGIC, 0, 4) ? Format.FRIR : Format.ONNX;
    }

    public static Graph load(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidModelException("the model file is empty");
        }
        if (detect(bytes) == Format.FRIR) {
            return ModelFile.fromBytes(bytes);
        }
        try {
            return OnnxModels.read(bytes);
        } catch (UnsupportedOnnxModelException e) {
            throw e;
        } catch (OnnxModelException e) {
            throw new OnnxModelException("neither a Frontier model (no FRIR magic) nor a readable ONNX model: "
                    + e.getMessage());
        }
    }

    public static Graph load(Path file) {
        try {
            return load(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model " + file + ": " + e.getMessage(), e);
        } catch (InvalidModelException e) {
            throw new InvalidModelException(file + ": " + e.getMessage());
        }
    }

    /** Bytes of {@code g} in {@code format}. */
    public static byte[] write(Graph g, Format format) {
        return format == Format.FRIR ? ModelFile.toBytes(g) : OnnxModels.write(g);
    }
}
