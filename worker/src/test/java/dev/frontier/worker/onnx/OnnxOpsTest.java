package dev.frontier.worker.onnx;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.QuantizedTensor;
import dev.frontier.worker.model.ReferenceInterpreter;
import dev.frontier.worker.model.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static dev.frontier.worker.onnx.OnnxBuilder.f;
import static dev.frontier.worker.onnx.OnnxBuilder.i;
import static dev.frontier.worker.onnx.OnnxBuilder.ints;
import static dev.frontier.worker.onnx.OnnxBuilder.s;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One hand-built ONNX graph per supported operator: imported, run by the ReferenceInterpreter, and
 * compared with ONNX Runtime running the very same ONNX bytes (so the importer's reading of each
 * operator's semantics is checked against the real runtime, not against itself).
 */
class OnnxOpsTest {

    /** Imports, checks against ORT on two random inputs, returns the graph for structural checks. */
    private static Graph agree(OnnxBuilder b) throws Exception {
        byte[] bytes = b.bytes();
        Graph g = OnnxModels.read(bytes);
        Shape in = g.inputShape();
        Random r = new Random(3);
        boolean flatInput = b.g.getInput(0).getType().getTensorType().getShape().getDimCount() == 2;
        long[] shape = flatInput ? new long[] {1, in.c()} : new long[] {1, in.c(), in.h(), in.w()};
        for (int k = 0; k < 2; k++) {
            float[] x = new float[in.size()];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) r.nextGaussian();
            }
            float[] want = OnnxBuilder.ort(bytes, shape, x);
            float[] got = new ReferenceInterpreter(g).forward(x);
            assertThat(got).hasSameSizeAs(want);
            for (int j = 0; j < got.length; j++) {
                assertThat(got[j]).as("output %d", j).isCloseTo(want[j], org.assertj.core.data.Offset.offset(
                        1e-4f * Math.max(1f, Math.abs(want[j]))));
            }
        }
        return g;
    }

    private static long count(Graph g, Class<? extends Layer> type) {
        return g.nodes().stream().filter(n -> type.isInstance(n.layer())).count();
    }

    @Test
    void groupedConvWithPadsStridesAndBias() throws Exception {
        OnnxBuilder b = new OnnxBuilder(13, "x", -1, 4, 9, 9).weight("w", 6, 2, 3, 3).weight("b", 6)
                .node("Conv", "conv", List.of("x", "w", "b"), "y", ints("pads", 1, 1, 1, 1), ints("strides", 2, 2),
                        i("group", 2), ints("kernel_shape", 3, 3))
                .output("y", -1, 6, 5, 5);
        Graph g = agree(b);
        Layer.Conv2d c = (Layer.Conv2d) g.node("conv").layer();
        assertThat(c).isEqualTo(new Layer.Conv2d(4, 6, 3, 3, 2, 1, 2, true));
    }

    @Test
    void depthwiseConvSameUpperAndPointwiseWithoutBias() throws Exception {
        OnnxBuilder b = new OnnxBuilder(11, "x", 1, 4, 8, 8).weight("dw", 4, 1, 3, 3).weight("pw", 5, 4, 1, 1)
                .node("Conv", "dw", List.of("x", "dw"), "a", s("auto_pad", "SAME_UPPER"), i("group", 4))
                .node("Conv", "pw", List.of("a", "pw"), "y")
                .output("y", 1, 5, 8, 8);
        Graph g = agree(b);
        assertThat(((Layer.Conv2d) g.node("dw").layer()).isDepthwise()).isTrue();
        assertThat(((Layer.Conv2d) g.node("pw").layer()).bias()).isFalse();
    }

    @Test
    void gemmWithAlphaBetaAndBothLayouts() throws Exception {
        OnnxBuilder b = new OnnxBuilder(13, "x", -1, 8).weight("w1", 8, 6).weight("c1", 1, 6);
        b.floatData("w2", new long[] {3, 6}, b.randoms(18)).floatData("c2", new long[] {3}, b.randoms(3));
        b.node("Gemm", "fc1", List.of("x", "w1", "c1"), "h", f("alpha", 0.5f), f("beta", 2f))
                .node("Gemm", "fc2", List.of("h", "w2", "c2"), "y", i("transB", 1))
                .output("y", -1, 3);
        Graph g = agree(b);
        assertThat(count(g, Layer.Linear.class)).isEqualTo(2);
    }

    @Test
    void matMulPlusBiasBecomesOneLinear() throws Exception {
        OnnxBuilder b = new OnnxBuilder(13, "x", -1, 8).weight("w", 8, 4).weight("bias", 4)
                .node("MatMul", "mm", List.of("x", "w"), "m")
                .node("Add", "bias_add", List.of("m", "bias"), "y")
                .output("y", -1, 4);
        Graph g = agree(b);
        assertThat(count(g, Layer.Linear.class)).isEqualTo(1);
        assertThat(((Layer.Linear) g.output().layer()).bias()).isTrue();
    }

    @Test
    void batchNormalization() throws Exception {
        OnnxBuilder b = new OnnxBuilder(15, "x", -1, 3, 5, 5).weight("w", 4, 3, 3, 3)
                .weight("scale", 4).weight("beta", 4).weight("mean", 4).positive("var", 4)
                .node("Conv", "conv", List.of("x", "w"), "c")
                .node("BatchNormalization", "bn", List.of("c", "scale", "beta", "mean", "var"), "y", f("epsilon", 1e-3f))
                .output("y", -1, 4, 3, 3);
        Graph g = agree(b);
        assertThat(((Layer.BatchNorm) g.node("bn").layer()).eps()).isEqualTo(1e-3f);
    }

    @Test
    void reluAndClipAsRelu6FromInputsAndConstantNodes() throws Exception {
        OnnxBuilder b = new OnnxBuilder(13, "x", -1, 2, 4, 4).scalar("lo", 0f)
                .node("Constant", "six", List.of(), "hi", OnnxBuilder.tensorAttr("value",
                        OnnxBuilder.tensor("", 1, new long[0]).addFloatData(6f).build()))
                .node("Relu", "relu", List.of("x"), "r")
                .node("Add", "twice", List.of("r", "x"), "a")
                .node("Clip", "clip6", List.of("a", "lo", "hi"), "c")
                .node("Clip", "clip_relu", List.of("c", "lo"), "y")
                .output("y", -1, 2, 4, 4);
        Graph g = agree(b);
        assertThat(g.node("clip6").layer()).isInstanceOf(Layer.Relu6.class);
        assertThat(g.node("clip_relu").layer()).isInstanceOf(Layer.Relu.class);
    }

    @Test
    void clipWithAttributesBeforeOpset11() throws Exception {
        OnnxBuilder b = new OnnxBuilder(10, "x", -1, 2, 3, 3)
                .node("Clip", "clip", List.of("x"), "y", f("min", 0f), f("max", 6f))
                .output("y", -1, 2, 3, 3);
        assertThat(agree(b).output().layer()).isInstanceOf(Layer.Relu6.class);
    }

    @Test
    void maxAndAveragePoolWithPadding() throws Exception {
        OnnxBuilder b = new OnnxBuilder(12, "x", -1, 3, 9, 9)
                .node("MaxPool", "mp", List.of("x"), "m", ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                        ints("pads", 1, 1, 1, 1))
                .node("AveragePool", "ap", List.of("m"), "a", ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1),
                        i("count_include_pad", 1))
                .node("AveragePool", "ap2", List.of("a"), "y", ints("kernel_shape", 2, 2), ints("strides", 1, 1),
                        i("ceil_mode", 1))
                .output("y", -1, 3, 4, 4);
        Graph g = agree(b);
        assertThat(g.node("mp").layer()).isEqualTo(new Layer.MaxPool(3, 2, 1));
        assertThat(g.node("ap").layer()).isEqualTo(new Layer.AvgPool(3, 1, 1));
    }

    @Test
    void globalAveragePoolFlattenGemmSoftmax() throws Exception {
        OnnxBuilder b = new OnnxBuilder(17, "x", -1, 4, 6, 6).weight("w", 5, 4).weight("c", 5)
                .node("GlobalAveragePool", "gap", List.of("x"), "p")
                .node("Flatten", "flat", List.of("p"), "f")
                .node("Gemm", "fc", List.of("f", "w", "c"), "l", i("transB", 1))
                .node("Softmax", "sm", List.of("l"), "y")
                .output("y", -1, 5);
        Graph g = agree(b);
        assertThat(g.output().layer()).isInstanceOf(Layer.Softmax.class);
    }

    @Test
    void softmaxBeforeOpset13CoversTheWholeSample() throws Exception {
        OnnxBuilder b = new OnnxBuilder(11, "x", -1, 2, 3, 3)
                .node("Softmax", "sm", List.of("x"), "y", i("axis", 1))
                .output("y", -1, 2, 3, 3);
        agree(b);
    }

    @Test
    void residualAdd() throws Exception {
        OnnxBuilder b = new OnnxBuilder(13, "x", -1, 3, 6, 6).weight("w", 3, 3, 3, 3).weight("b", 3)
                .node("Conv", "conv", List.of("x", "w", "b"), "c", ints("pads", 1, 1, 1, 1))
                .node("Add", "add", List.of("c", "x"), "s")
                .node("Relu", "relu", List.of("s"), "y")
                .output("y", -1, 3, 6, 6);
        assertThat(count(agree(b), Layer.Add.class)).isEqualTo(1);
    }

    @Test
    void reshapeWithConstantShape() throws Exception {
        OnnxBuilder b = new OnnxBuilder(14, "x", -1, 2, 4, 4).longs("shape", 0, -1).weight("w", 3, 32)
                .node("Reshape", "reshape", List.of("x", "shape"), "f")
                .node("Gemm", "fc", List.of("f", "w"), "y", i("transB", 1))
                .output("y", -1, 3);
        assertThat(count(agree(b), Layer.Flatten.class)).isEqualTo(1);
    }

    @Test
    void reshapeFromShapeArithmetic() throws Exception {
        // x.view(x.size(0), -1) as older exporters write it
        OnnxBuilder b = new OnnxBuilder(13, "x", -1, 2, 4, 4).weight("w", 3, 32).scalarLong("zero", 0).longs("minus1", -1)
                .longs("axes", 0)
                .node("Shape", "shape", List.of("x"), "s")
                .node("Gather", "batch", List.of("s", "zero"), "n")
                .node("Unsqueeze", "unsq", List.of("n", "axes"), "n1")
                .node("Concat", "cat", List.of("n1", "minus1"), "target", i("axis", 0))
                .node("Reshape", "reshape", List.of("x", "target"), "f")
                .node("Gemm", "fc", List.of("f", "w"), "y", i("transB", 1))
                .output("y", -1, 3);
        agree(b);
    }

    @Test
    void identityAndDropoutPassThrough() throws Exception {
        OnnxBuilder b = new OnnxBuilder(13, "x", -1, 6)
                .node("Identity", "id", List.of("x"), "a")
                .node("Dropout", "drop", List.of("a"), "d")
                .node("Relu", "relu", List.of("d"), "y")
                .output("y", -1, 6);
        assertThat(agree(b).nodes()).hasSize(2);
    }

    @Test
    void int8WeightsThroughDequantizeLinearStayQuantized() throws Exception {
        byte[] codes = new byte[4 * 2 * 3 * 3];
        Random r = new Random(5);
        for (int k = 0; k < codes.length; k++) {
            codes[k] = (byte) (r.nextInt(255) - 127);
        }
        OnnxBuilder b = new OnnxBuilder(13, "x", -1, 2, 5, 5).int8("wq", new long[] {4, 2, 3, 3}, codes)
                .raw("ws", new long[] {4}, new float[] {0.01f, 0.02f, 0.005f, 0.03f})
                .int8("wz", new long[] {4}, new byte[4])
                .node("DequantizeLinear", "dq", List.of("wq", "ws", "wz"), "w", i("axis", 0))
                .node("Conv", "conv", List.of("x", "w"), "y")
                .output("y", -1, 4, 3, 3);
        Graph g = agree(b);
        QuantizedTensor q = g.quantized("conv.weight");
        assertThat(q).isNotNull();
        assertThat(q.bits()).isEqualTo(8);
        assertThat(q.values()).isEqualTo(codes);
        assertThat(q.dequantize()).isEqualTo(g.param("conv.weight"));
    }

    @Test
    void onnxNamesAreMadeLegalAndUnique() throws Exception {
        OnnxBuilder b = new OnnxBuilder(13, "input.1", -1, 4)
                .node("Relu", "/features/features.0/Relu", List.of("input.1"), "a")
                .node("Relu", "features_features.0_Relu", List.of("a"), "b")
                .node("Relu", "", List.of("b"), "y")
                .output("y", -1, 4);
        Graph g = agree(b);
        assertThat(g.nodes()).extracting(n -> n.name())
                .containsExactly("input.1", "features_features.0_Relu", "features_features.0_Relu_2", "y");
    }
}
