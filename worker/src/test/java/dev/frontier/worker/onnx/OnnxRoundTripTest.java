package dev.frontier.worker.onnx;

import dev.frontier.worker.compress.Compressor;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;
import dev.frontier.worker.model.QuantScheme;
import dev.frontier.worker.model.QuantizedTensor;
import dev.frontier.worker.model.ReferenceInterpreter;
import dev.frontier.worker.model.Zoo;
import dev.frontier.worker.onnx.proto.OnnxProto.ModelProto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** IR -> ONNX -> IR keeps the function (ReferenceInterpreter within 1e-5), and ONNX Runtime agrees. */
class OnnxRoundTripTest {

    private static float[] randomInput(Graph g, long seed) {
        Random r = new Random(seed);
        float[] x = new float[g.inputShape().size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static void assertClose(float[] got, float[] want, float tol) {
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < got.length; i++) {
            assertThat(Math.abs(got[i] - want[i])).as("output %d: %s vs %s", i, got[i], want[i])
                    .isLessThanOrEqualTo(tol * Math.max(1f, Math.abs(want[i])));
        }
    }

    /** Round trip through bytes + ONNX Runtime on the export; returns the re-imported graph. */
    private static Graph roundTrip(Graph g) {
        byte[] onnx = OnnxModels.write(g);
        Graph back = OnnxModels.read(onnx);
        assertThat(back.inputShape()).isEqualTo(g.inputShape());
        assertThat(back.shape(back.output().name())).isEqualTo(g.shape(g.output().name()));
        try (OrtModel ort = OrtModel.of(g, 1)) {
            for (long seed = 1; seed <= 3; seed++) {
                float[] x = randomInput(g, seed);
                float[] want = new ReferenceInterpreter(g).forward(x);
                assertClose(new ReferenceInterpreter(back).forward(x), want, 1e-5f);
                assertClose(ort.run(x), want, 1e-4f);
            }
        }
        return back;
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "vgg", "resnet", "mobilenet"})
    void everyZooModelRoundTrips(String arch) {
        Graph g = Zoo.create(arch, 7, 10);
        Graph back = roundTrip(g);
        assertThat(back.paramCount()).isEqualTo(g.paramCount());
        assertThat(back.metadata()).containsEntry("arch", arch).containsEntry("imported.from", "onnx");
        for (var n : g.nodes()) {
            if (back.hasNode(n.name())) {
                assertThat(back.node(n.name()).layer()).isEqualTo(n.layer());
            }
        }
        assertThat(back.weightedNodes()).hasSameSizeAs(g.weightedNodes());
    }

    @Test
    void prunedWeightsAreExportedAsZeros() {
        Graph g = Compressor.compress(Zoo.vgg(3, 10),
                "{\"default\":{\"prune\":{\"scheme\":\"pattern\",\"patterns\":8,\"connectivity\":0.5}}}").graph();
        Graph back = roundTrip(g);
        assertThat(back.param("conv3.weight").countNonZero()).isEqualTo(g.param("conv3.weight").countNonZero())
                .isLessThan(g.param("conv3.weight").size() / 4);
    }

    @Test
    void int8SymmetricWeightsAreDequantizeLinearOnInt8Initializers() {
        Graph g = Compressor.compress(Zoo.lenet5(3, 10),
                "{\"default\":{\"quantize\":{\"bits\":8,\"scheme\":\"symmetric\"}}}").graph();
        ModelProto m = OnnxExporter.export(g);
        assertThat(m.getGraph().getNodeList()).filteredOn(n -> n.getOpType().equals("DequantizeLinear")).hasSize(5);
        assertThat(m.getGraph().getInitializerList()).filteredOn(t -> t.getName().equals("conv1.weight_quantized"))
                .singleElement().satisfies(t -> assertThat(t.getDataType()).isEqualTo(OnnxTensors.INT8));
        Graph back = roundTrip(g);
        for (var e : g.quantized().entrySet()) {
            assertThat(back.quantized(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void int4AndPowerOfTwoAndMixedRowsExportExactlyAsInt8Codes() {
        Graph g = Compressor.compress(Zoo.lenet5(3, 10), "{\"layers\":{"
                + "\"conv1\":{\"quantize\":{\"bits\":4,\"scheme\":\"symmetric\"}},"
                + "\"conv2\":{\"quantize\":{\"bits\":4,\"scheme\":\"power-of-two\"}},"
                + "\"fc1\":{\"quantize\":{\"bits\":4,\"scheme\":\"mixed\"}},"
                + "\"fc2\":{\"quantize\":{\"bits\":8,\"scheme\":\"power-of-two\"}}}}").graph();
        ModelProto m = OnnxExporter.export(g);
        assertThat(m.getMetadataPropsList()).anySatisfy(e -> {
            assertThat(e.getKey()).isEqualTo("frontier.export.conv2.weight");
            assertThat(e.getValue()).contains("exact");
        });
        Graph back = roundTrip(g);
        QuantizedTensor q4 = back.quantized("conv1.weight");
        assertThat(q4.bits()).isEqualTo(4);
        assertThat(q4).isEqualTo(g.quantized("conv1.weight"));
        // power-of-two codes come back as equivalent int8 fixed-point codes (same values)
        assertThat(back.quantized("conv2.weight").scheme()).isEqualTo(QuantScheme.SYMMETRIC);
        assertThat(back.quantized("conv2.weight").dequantize()).isEqualTo(g.quantized("conv2.weight").dequantize());
    }

    @Test
    void modelFormatsLoadsBothFormats(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Graph g = Zoo.resnet(5, 10);
        byte[] frir = ModelFile.toBytes(g);
        byte[] onnx = OnnxModels.write(g);
        assertThat(ModelFormats.detect(frir)).isEqualTo(ModelFormats.Format.FRIR);
        assertThat(ModelFormats.detect(onnx)).isEqualTo(ModelFormats.Format.ONNX);
        float[] x = randomInput(g, 9);
        float[] want = new ReferenceInterpreter(g).forward(x);
        assertClose(new ReferenceInterpreter(ModelFormats.load(frir)).forward(x), want, 0f);
        assertClose(new ReferenceInterpreter(ModelFormats.load(onnx)).forward(x), want, 1e-5f);
        Path file = dir.resolve("resnet.onnx");
        OnnxModels.write(g, file);
        assertThat(Files.readAllBytes(file)).isEqualTo(onnx);
        assertThat(ModelFormats.load(file).paramCount()).isEqualTo(g.paramCount());
    }
}
