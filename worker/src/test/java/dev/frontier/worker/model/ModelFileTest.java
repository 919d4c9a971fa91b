package dev.frontier.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ModelFileTest {

    @Test
    void everyZooModelRoundTripsExactly() {
        for (String arch : Zoo.ARCHITECTURES) {
            Graph g = Zoo.create(arch, 7, 10);
            Graph back = ModelFile.fromBytes(ModelFile.toBytes(g));
            assertThat(back.nodes()).as(arch).isEqualTo(g.nodes());
            assertThat(back.params()).as(arch).isEqualTo(g.params());
            assertThat(back.metadata()).isEqualTo(g.metadata());
            assertThat(ModelFile.toBytes(back)).isEqualTo(ModelFile.toBytes(g));
        }
    }

    @Test
    void masksAndQuantizedTensorsRoundTrip() {
        Graph g = Zoo.lenet5(1, 10);
        Tensor w = g.param("fc3.weight");
        boolean[] keep = new boolean[w.size()];
        for (int i = 0; i < keep.length; i += 3) {
            keep[i] = true;
        }
        byte[] q = new byte[w.size()];
        new Random(3).nextBytes(q);
        float[] scales = new float[w.dim(0)];
        Arrays.fill(scales, 0.01f);
        boolean[] p2 = new boolean[w.dim(0)];
        p2[1] = true;
        Graph c = g.toBuilder()
                .mask("fc3.weight", new Mask(w.shape(), keep))
                .quantized("fc3.weight", new QuantizedTensor(8, QuantScheme.MIXED, w.shape(), q, scales, p2))
                .build();
        Graph back = ModelFile.fromBytes(ModelFile.toBytes(c));
        assertThat(back.masks()).isEqualTo(c.masks());
        assertThat(back.quantized()).isEqualTo(c.quantized());
        assertThat(back.keptParamCount()).isLessThan(back.paramCount());
    }

    @Test
    void truncatedAndForeignFilesAreRejectedWithAReason() {
        byte[] bytes = ModelFile.toBytes(Zoo.lenet5(1, 10));
        assertThatThrownBy(() -> ModelFile.fromBytes(Arrays.copyOf(bytes, bytes.length - 100)))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> ModelFile.fromBytes("hello world, not a model".getBytes()))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("magic");
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 0x40;
        assertThatThrownBy(() -> ModelFile.fromBytes(flipped)).isInstanceOf(InvalidModelException.class);
    }

    @Test
    void shapesFlopsAndParams() {
        Graph g = Zoo.vgg(1, 10);
        assertThat(g.shape("conv2")).isEqualTo(new Shape(32, 28, 28));
        assertThat(g.shape("pool3")).isEqualTo(new Shape(128, 3, 3));
        assertThat(g.shape("fc2")).isEqualTo(Shape.features(10));
        assertThat(g.macs(g.node("conv2"))).isEqualTo(28L * 28 * 32 * 32 * 9);
        assertThat(g.macs(g.node("fc1"))).isEqualTo(128L * 9 * 256);
        assertThat(g.macs(g.node("relu1"))).isZero();

        Graph r = Zoo.resnet(1, 10);
        assertThat(r.shape("block2.add")).isEqualTo(new Shape(32, 14, 14));
        Graph m = Zoo.mobilenet(1, 10);
        Layer.Conv2d dw = (Layer.Conv2d) m.node("dw2").layer();
        assertThat(dw.isDepthwise()).isTrue();
        assertThat(m.macs(m.node("dw2"))).isEqualTo(32L * 14 * 14 * 9);
    }

    @Test
    void inconsistentGraphsAreRefused() {
        Graph g = Zoo.lenet5(1, 10);
        assertThatThrownBy(() -> g.toBuilder().param("fc1.weight", Tensor.zeros(3, 3)).build())
                .hasMessageContaining("fc1.weight");
        assertThatThrownBy(() -> g.node("nope")).hasMessageContaining("no layer named 'nope'");
        assertThatThrownBy(() -> new Node("../etc", new Layer.Relu(), java.util.List.of("x")))
                .hasMessageContaining("invalid node name");
    }

    @Test
    void referenceInterpreterRunsEveryZooModel() {
        for (String arch : Zoo.ARCHITECTURES) {
            Graph g = Zoo.create(arch, 3, 10);
            float[] x = new float[784];
            Random r = new Random(1);
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat();
            }
            float[] y = new ReferenceInterpreter(g).forward(x);
            assertThat(y).as(arch).hasSize(10);
            for (float v : y) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }
}
