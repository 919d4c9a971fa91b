package dev.frontier.worker.onnx;

import com.google.protobuf.ByteString;
import dev.frontier.worker.model.InvalidModelException;
import dev.frontier.worker.model.Zoo;
import dev.frontier.worker.onnx.proto.OnnxProto.ModelProto;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.frontier.worker.onnx.OnnxBuilder.i;
import static dev.frontier.worker.onnx.OnnxBuilder.ints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad files fail with an InvalidModelException (exit code 2 / INVALID_MODEL) whose message says why. */
class OnnxMalformedTest {

    private static OnnxBuilder convModel() {
        return new OnnxBuilder(13, "x", -1, 3, 8, 8).weight("w", 4, 3, 3, 3)
                .node("Conv", "conv", List.of("x", "w"), "y")
                .output("y", -1, 4, 6, 6);
    }

    @Test
    void garbageEmptyAndTruncatedFilesAreRejected() {
        byte[] junk = new byte[300];
        new Random(1).nextBytes(junk);
        assertThatThrownBy(() -> ModelFormats.load(junk)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("ONNX");
        assertThatThrownBy(() -> ModelFormats.load(new byte[0])).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> ModelFormats.load("hello, this is text".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidModelException.class);
        byte[] full = OnnxModels.write(Zoo.lenet5(1, 10));
        for (int cut : new int[] {10, full.length / 3, full.length / 2, full.length - 7}) {
            byte[] truncated = Arrays.copyOf(full, cut);
            assertThatThrownBy(() -> OnnxModels.read(truncated)).as("cut at %d", cut)
                    .isInstanceOf(OnnxModelException.class);
        }
    }

    @Test
    void frirMagicWithBrokenBodyIsAnInvalidFrontierModel() {
        byte[] b = "FRIR and nothing sensible after".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> ModelFormats.load(b)).isInstanceOf(InvalidModelException.class)
                .isNotInstanceOf(OnnxModelException.class);
    }

    @Test
    void missingInitializerIsNamed() {
        OnnxBuilder b = new OnnxBuilder(13, "x", -1, 3, 8, 8)
                .node("Conv", "conv", List.of("x", "w_missing"), "y").output("y", -1, 4, 6, 6);
        assertThatThrownBy(() -> OnnxModels.read(b.bytes())).isInstanceOf(OnnxModelException.class)
                .isNotInstanceOf(UnsupportedOnnxModelException.class)
                .hasMessageContaining("w_missing").hasMessageContaining("node 0 'conv'");
    }

    @Test
    void inconsistentShapesAreRejected() {
        OnnxBuilder wrongChannels = new OnnxBuilder(13, "x", -1, 3, 8, 8).weight("w", 4, 5, 3, 3)
                .node("Conv", "conv", List.of("x", "w"), "y").output("y", -1, 4, 6, 6);
        assertThatThrownBy(() -> OnnxModels.read(wrongChannels.bytes())).isInstanceOf(OnnxModelException.class)
                .hasMessageContaining("inconsistent shapes").hasMessageContaining("3 channels");
        OnnxBuilder wrongOutput = new OnnxBuilder(13, "x", -1, 3, 8, 8).weight("w", 4, 3, 3, 3)
                .node("Conv", "conv", List.of("x", "w"), "y").output("y", -1, 4, 7, 7);
        assertThatThrownBy(() -> OnnxModels.read(wrongOutput.bytes())).isInstanceOf(OnnxModelException.class)
                .hasMessageContaining("graph output 'y'");
        OnnxBuilder gemm = new OnnxBuilder(13, "x", -1, 8).weight("w", 7, 3)
                .node("Gemm", "fc", List.of("x", "w"), "y").output("y", -1, 3);
        assertThatThrownBy(() -> OnnxModels.read(gemm.bytes())).isInstanceOf(OnnxModelException.class)
                .hasMessageContaining("8");
    }

    @Test
    void rawDataOfTheWrongLengthIsTruncation() {
        ModelProto m = convModel().model();
        ModelProto.Builder b = m.toBuilder();
        b.getGraphBuilder().getInitializerBuilder(0).setRawData(ByteString.copyFrom(new byte[12]));
        assertThatThrownBy(() -> OnnxModels.read(b.build().toByteArray())).isInstanceOf(OnnxModelException.class)
                .hasMessageContaining("'w'").hasMessageContaining("raw_data has 12 bytes");
    }

    @Test
    void unsupportedOperatorsAreAllListedWithTheirPlace() {
        OnnxBuilder b = new OnnxBuilder(13, "x", -1, 3, 8, 8).weight("w", 4, 3, 3, 3)
                .node("Conv", "conv", List.of("x", "w"), "c")
                .node("Sigmoid", "gate", List.of("c"), "s")
                .node("Resize", "", List.of("s"), "r")
                .node("LeakyRelu", "leaky", List.of("r"), "y")
                .output("y", -1, 4, 6, 6);
        assertThatThrownBy(() -> OnnxModels.read(b.bytes())).isInstanceOfSatisfying(UnsupportedOnnxModelException.class, e -> {
            assertThat(e.problems()).extracting(UnsupportedOnnxModelException.Problem::opType)
                    .containsExactly("Sigmoid", "Resize", "LeakyRelu");
            assertThat(e.problems()).extracting(UnsupportedOnnxModelException.Problem::index).containsExactly(1, 2, 3);
            assertThat(e.getMessage()).contains("Sigmoid (node 1 'gate')", "Resize (node 2)", "LeakyRelu (node 3 'leaky')",
                    "[LeakyRelu, Resize, Sigmoid]");
        });
    }

    @Test
    void unsupportedSettingsOfSupportedOpsAreListedToo() {
        OnnxBuilder b = new OnnxBuilder(13, "x", -1, 3, 8, 8).weight("w", 4, 3, 3, 3).weight("w2", 4, 4, 3, 3)
                .node("Conv", "asym", List.of("x", "w"), "c", ints("pads", 0, 0, 1, 1))
                .node("Conv", "dilated", List.of("x", "w"), "d", ints("dilations", 2, 2))
                .node("Clip", "clip", List.of("d"), "y")
                .output("y", -1, 4, 4, 4);
        assertThatThrownBy(() -> OnnxModels.read(b.bytes())).isInstanceOfSatisfying(UnsupportedOnnxModelException.class,
                e -> {
                    assertThat(e.problems()).extracting(UnsupportedOnnxModelException.Problem::nodeName)
                            .containsExactly("asym", "dilated");
                    assertThat(e.getMessage()).contains("pads [0, 0, 1, 1]", "dilations [2, 2]");
                });
    }

    @Test
    void inputsOutsideTheImageContractAreExplained() {
        OnnxBuilder fixedBatch = new OnnxBuilder(13, "x", 8, 3, 8, 8).weight("w", 4, 3, 3, 3)
                .node("Conv", "conv", List.of("x", "w"), "y").output("y", 8, 4, 6, 6);
        assertThatThrownBy(() -> OnnxModels.read(fixedBatch.bytes())).isInstanceOf(UnsupportedOnnxModelException.class)
                .hasMessageContaining("fixed batch size 8");
        OnnxBuilder symbolicHeight = new OnnxBuilder(13, "x", -1, 3, -1, 8).weight("w", 4, 3, 3, 3)
                .node("Conv", "conv", List.of("x", "w"), "y").output("y", -1, 4, -1, 6);
        assertThatThrownBy(() -> OnnxModels.read(symbolicHeight.bytes())).isInstanceOf(OnnxModelException.class)
                .hasMessageContaining("dimension 2 is symbolic");
        ModelProto noOpset = convModel().model().toBuilder().clearOpsetImport().build();
        assertThatThrownBy(() -> OnnxModels.read(noOpset.toByteArray())).isInstanceOf(OnnxModelException.class)
                .hasMessageContaining("opset");
        OnnxBuilder old = new OnnxBuilder(5, "x", -1, 4).node("Relu", "r", List.of("x"), "y").output("y", -1, 4);
        assertThatThrownBy(() -> OnnxModels.read(old.bytes())).isInstanceOf(UnsupportedOnnxModelException.class)
                .hasMessageContaining("opset 5");
    }

    @Test
    void nodesOutOfTopologicalOrderAreMalformed() {
        OnnxBuilder b = new OnnxBuilder(13, "x", -1, 4)
                .node("Relu", "second", List.of("a"), "y")
                .node("Relu", "first", List.of("x"), "a")
                .output("y", -1, 4);
        assertThatThrownBy(() -> OnnxModels.read(b.bytes())).isInstanceOf(OnnxModelException.class)
                .hasMessageContaining("topological");
    }

    @Test
    void avgPoolPaddingExcludedFromTheCountIsUnsupported() {
        OnnxBuilder b = new OnnxBuilder(13, "x", -1, 2, 6, 6)
                .node("AveragePool", "ap", List.of("x"), "y", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1),
                        i("count_include_pad", 0))
                .output("y", -1, 2, 6, 6);
        assertThatThrownBy(() -> OnnxModels.read(b.bytes())).isInstanceOf(UnsupportedOnnxModelException.class)
                .hasMessageContaining("count_include_pad");
    }
}
