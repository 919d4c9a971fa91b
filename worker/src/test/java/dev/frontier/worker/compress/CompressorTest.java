package dev.frontier.worker.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ModelFile;
import dev.frontier.worker.model.Zoo;

class CompressorTest {
    private final Graph vgg = Zoo.vgg(1, 10);

    @Test
    void theContractExampleAppliesAndReports() {
        String cfg = """
                {
                  "default": { "quantize": { "bits": 8, "scheme": "symmetric" } },
                  "layers": {
                    "conv2": { "prune": { "scheme": "pattern", "patterns": 8, "connectivity": 0.72 } },
                    "conv3": { "prune": { "scheme": "filter", "rate": 0.25 } },
                    "fc1":   { "prune": { "scheme": "block", "rate": 0.75, "block": [4, 16] },
                               "quantize": { "bits": 4, "scheme": "mixed" } },
                    "fc2":   { "prune": { "scheme": "unstructured", "rate": 0.5 } }
                  }
                }""";
        Compressor.Result r = Compressor.compress(vgg, cfg);
        Graph c = r.graph();
        CompressionReport rep = r.report();
        assertThat(rep.layers()).extracting(LayerReport::name).containsExactly("conv1", "conv2", "conv3", "conv4", "conv5", "fc1", "fc2");
        LayerReport conv2 = rep.layer("conv2");
        assertThat(conv2.scheme()).isEqualTo("pattern");
        assertThat(conv2.weights()).isEqualTo(32 * 32 * 9);
        assertThat((double) conv2.weights() / conv2.keptWeights()).isBetween(7.5, 8.5);
        assertThat(conv2.keptMacs()).isLessThan(conv2.macs() / 7);
        assertThat(conv2.quantization()).isEqualTo("float32"); // listed layers do not take the default
        assertThat(rep.layer("conv1").quantization()).isEqualTo("int8 symmetric");
        assertThat(rep.layer("conv3").keptWeights()).isEqualTo(48 * 32 * 9);
        assertThat(rep.layer("conv4").weights()).isEqualTo(64 * 64 * 9);
        assertThat(rep.layer("conv4").keptWeights()).isEqualTo(64 * 48 * 9);
        assertThat(rep.layer("fc1").keptWeights()).isEqualTo(256 * 1152 / 4);
        assertThat(rep.layer("fc1").quantization()).isEqualTo("int4 mixed");
        assertThat(rep.layer("fc2").keptWeights()).isEqualTo(1280);
        assertThat(rep.keptParams()).isLessThan(rep.params());
        assertThat(rep.sparsity()).isBetween(0.5, 1.0);
        assertThat(rep.toMap()).containsKeys("params", "keptParams", "macs", "keptMacs", "flops", "sparsity", "layers", "notes");
        assertThat(c.metadata()).containsEntry("compress.quant.fc1", "4:mixed").containsKey("compress.prune.conv2");
        // the graph survives the file format, metadata and all
        Graph back = ModelFile.fromBytes(ModelFile.toBytes(c));
        assertThat(back.masks()).isEqualTo(c.masks());
        assertThat(back.quantized()).isEqualTo(c.quantized());
        assertThat(back.metadata()).isEqualTo(c.metadata());
        assertThat(vgg.masks()).isEmpty();
    }

    @Test
    void emptyConfigIsTheDenseBaseline() {
        Compressor.Result r = Compressor.compress(vgg, "{}");
        assertThat(r.graph().params()).isEqualTo(vgg.params());
        assertThat(r.report().sparsity()).isZero();
        assertThat(r.report().keptMacs()).isEqualTo(vgg.totalMacs());
    }

    @Test
    void defaultPatternOnlyTouches3x3Convs() {
        Graph lenet = Zoo.lenet5(1, 10);
        Compressor.Result r = Compressor.compress(lenet, "{\"default\": {\"prune\": {\"scheme\": \"pattern\"}}}");
        assertThat(r.graph().masks()).isEmpty();
        Compressor.Result m = Compressor.compress(Zoo.mobilenet(1, 10), "{\"default\": {\"prune\": {\"scheme\": \"pattern\"}}}");
        assertThat(m.graph().masks()).containsOnlyKeys("conv0.weight");
        assertThatThrownBy(() -> Compressor.compress(Zoo.mobilenet(1, 10), "{\"layers\": {\"dw1\": {\"prune\": {\"scheme\": \"pattern\"}}}}"))
                .hasMessageContaining("dw1 is a depthwise convolution");
        assertThat(Compressor.compress(Zoo.mobilenet(1, 10), "{\"layers\": {\"dw1\": {\"prune\": {\"scheme\": \"unstructured\", \"rate\": 0.5}}}}")
                .graph().mask("dw1.weight").keptCount()).isEqualTo(16 * 9 / 2);
    }

    @Test
    void badConfigsAreRejectedWithClearMessages() {
        reject("{\"layers\": {\"conv9\": {}, \"bn1\": {}}}", "unknown layers conv9, bn1 (a batchnorm layer, no weights)",
                "layers that can be compressed: [conv1, conv2, conv3, conv4, conv5, fc1, fc2]");
        reject("{\"layers\": {\"fc1\": {\"prune\": {\"scheme\": \"pattern\"}}}}", "layers.fc1: fc1 is a linear layer; pattern pruning needs a 3x3 convolution");
        Graph lenet = Zoo.lenet5(1, 10);
        assertThatThrownBy(() -> Compressor.compress(lenet, "{\"layers\": {\"conv1\": {\"prune\": {\"scheme\": \"pattern\"}}}}"))
                .isInstanceOf(InvalidConfigException.class).hasMessageContaining("conv1 is a 5x5 convolution; pattern pruning needs a 3x3 convolution");
        reject("{\"layers\": {\"fc1\": {\"prune\": {\"scheme\": \"connectivity\", \"rate\": 0.5}}}}", "connectivity pruning removes conv kernels");
        reject("{\"layers\": {\"conv1\": {\"prune\": {\"scheme\": \"unstructured\", \"rate\": 1.2}}}}", "layers.conv1.prune: unstructured: 'rate' must be in (0,1), got 1.2");
        reject("{\"layers\": {\"conv1\": {\"prune\": {\"scheme\": \"filter\", \"rate\": 0}}}}", "'rate' must be in (0,1), got 0.0");
        reject("{\"layers\": {\"conv1\": {\"prune\": {\"scheme\": \"connectivity\"}}}}", "'rate' is required");
        reject("{\"layers\": {\"conv1\": {\"prune\": {\"scheme\": \"pattern\", \"connectivity\": 1}}}}", "'connectivity' must be in [0,1), got 1.0");
        reject("{\"layers\": {\"conv1\": {\"prune\": {\"scheme\": \"pattern\", \"patterns\": 12}}}}", "'patterns' must be in 4..8, got 12");
        reject("{\"layers\": {\"fc1\": {\"prune\": {\"scheme\": \"block\", \"rate\": 0.5, \"block\": [4]}}}}", "'block' must be [rows, cols]");
        reject("{\"layers\": {\"fc1\": {\"prune\": {\"scheme\": \"block\", \"rate\": 0.5, \"block\": [0, 16]}}}}", "positive sizes, got [0, 16]");
        // a value of the wrong type or outside the contract's enums is refused where the contract type is read, with its path
        reject("{\"layers\": {\"fc1\": {\"prune\": {\"scheme\": \"block\", \"rate\": 0.5, \"block\": [4, 1.5]}}}}", "layers.fc1.prune.block", "1.5");
        reject("{\"default\": {\"quantize\": {\"bits\": 3, \"scheme\": \"symmetric\"}}}", "default.quantize.bits", "'3'");
        reject("{\"default\": {\"quantize\": {\"bits\": 8, \"scheme\": \"log\"}}}", "default.quantize.scheme", "'log'");
        reject("{\"layers\": {\"conv1\": {\"prune\": {\"scheme\": \"lottery\"}}}}", "unknown scheme 'lottery'; expected one of [block, connectivity, filter, none, pattern, unstructured]");
        reject("{\"layers\": {\"conv1\": {\"prune\": {\"scheme\": \"unstructured\", \"rat\": 0.5}}}}", "unknown key 'rat'");
        reject("{\"layer\": {}}", "unknown key 'layer'; allowed: [default, layers]");
        reject("{\"layers\": ", "not valid JSON");
        reject("[1, 2]", "must be a JSON object");
        // several problems are reported together
        reject("{\"layers\": {\"conv1\": {\"prune\": {\"scheme\": \"unstructured\", \"rate\": 2}}, \"fc1\": {\"prune\": {\"scheme\": \"filter\", \"rate\": 1.5}}}}",
                "layers.conv1.prune", "layers.fc1.prune");
    }

    private void reject(String json, String... fragments) {
        var t = assertThatThrownBy(() -> Compressor.compress(vgg, json)).isInstanceOf(InvalidConfigException.class);
        for (String f : fragments) {
            t.hasMessageContaining(f);
        }
    }
}
