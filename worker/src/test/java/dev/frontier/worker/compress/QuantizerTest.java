package dev.frontier.worker.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.QuantScheme;
import dev.frontier.worker.model.QuantizedTensor;
import dev.frontier.worker.model.ReferenceInterpreter;
import dev.frontier.worker.model.Tensor;
import dev.frontier.worker.model.Zoo;

class QuantizerTest {

    @Test
    void symmetricIsWithinHalfAScaleAndCodesWithinRange() {
        Graph g = Zoo.vgg(1, 10);
        for (int bits : new int[] {8, 4}) {
            Tensor w = g.param("conv3.weight");
            QuantizedTensor q = Quantizer.quantize(w, null, bits, QuantScheme.SYMMETRIC);
            int max = QuantizedTensor.maxCode(bits);
            int len = q.rowLength();
            boolean reachesMax = false;
            for (int i = 0; i < w.size(); i++) {
                int code = q.values()[i];
                assertThat(code).isBetween(-max, max);
                reachesMax |= Math.abs(code) == max;
                float scale = q.scales()[i / len];
                assertThat(Math.abs(w.data()[i] - q.value(i))).isLessThanOrEqualTo(scale / 2 * 1.0001f);
            }
            assertThat(reachesMax).isTrue();
            assertThat(q.rowPowerOfTwo()).containsOnly(false);
        }
    }

    @Test
    void powerOfTwoValuesArePlusMinusScaleTimesAPowerOfTwo() {
        Graph g = Zoo.vgg(1, 10);
        for (int bits : new int[] {8, 4}) {
            Tensor w = g.param("fc1.weight");
            QuantizedTensor q = Quantizer.quantize(w, null, bits, QuantScheme.POWER_OF_TWO);
            int len = q.rowLength();
            assertThat(q.rowPowerOfTwo()).containsOnly(true);
            for (int i = 0; i < w.size(); i += 7) {
                int code = q.values()[i];
                assertThat(Math.abs(code)).isLessThanOrEqualTo(QuantizedTensor.maxCode(bits));
                float v = q.value(i);
                if (code == 0) {
                    assertThat(v).isZero();
                    continue;
                }
                double k = Math.log(q.scales()[i / len] / Math.abs(v)) / Math.log(2);
                assertThat(Math.abs(k - Math.rint(k))).isLessThan(1e-4);
                assertThat(Math.rint(k)).isBetween(0.0, QuantizedTensor.maxCode(bits) - 1.0);
                assertThat(Math.signum(v)).isEqualTo(Math.signum(w.data()[i]));
                // nearest level: no other level (or 0) is closer to the weight
                float a = Math.abs(w.data()[i]);
                float s = q.scales()[i / len];
                for (int e = 1; e <= QuantizedTensor.maxCode(bits); e++) {
                    assertThat(Math.abs(a - Math.abs(v))).isLessThanOrEqualTo(Math.abs(a - QuantizedTensor.decode(e, s, true)) + 1e-7f);
                }
                assertThat(Math.abs(a - Math.abs(v))).isLessThanOrEqualTo(a + 1e-7f);
            }
        }
    }

    @Test
    void mixedPicksTheBetterSchemePerRow() {
        // row 0: powers of two (exact in po2); row 1: evenly spread values (better in fixed point)
        float[] d = new float[16];
        for (int i = 0; i < 8; i++) {
            d[i] = (float) Math.scalb(1.0, -i) * (i % 2 == 0 ? 1 : -1);
            d[8 + i] = (i + 1) / 8f;
        }
        Tensor w = new Tensor(new int[] {2, 8}, d);
        QuantizedTensor q = Quantizer.quantize(w, null, 4, QuantScheme.MIXED);
        assertThat(q.scheme()).isEqualTo(QuantScheme.MIXED);
        assertThat(q.rowPowerOfTwo()).containsExactly(true, false);
        for (int i = 0; i < 8; i++) {
            if (i < 7) {
                assertThat(q.value(i)).isEqualTo(d[i]);
            }
        }
        double mixedErr = err(w, q);
        assertThat(mixedErr).isLessThanOrEqualTo(err(w, Quantizer.quantize(w, null, 4, QuantScheme.SYMMETRIC)));
        assertThat(mixedErr).isLessThanOrEqualTo(err(w, Quantizer.quantize(w, null, 4, QuantScheme.POWER_OF_TWO)));
    }

    @Test
    void quantizedGraphHoldsIntegersAndDequantizedFloatsAndPrunedWeightsStayZero() {
        Graph g = Zoo.vgg(2, 10);
        Compressor.Result r = Compressor.compress(g, "{\"default\": {\"prune\": {\"scheme\": \"pattern\", \"connectivity\": 0.5},"
                + " \"quantize\": {\"bits\": 4, \"scheme\": \"mixed\"}}}");
        Graph c = r.graph();
        for (var n : c.weightedNodes()) {
            QuantizedTensor q = c.quantized(n.weightName());
            assertThat(q).as(n.name()).isNotNull();
            assertThat(q.bits()).isEqualTo(4);
            assertThat(c.param(n.weightName())).isEqualTo(q.dequantize());
            Mask m = c.mask(n.weightName());
            if (m != null) {
                for (int i = 0; i < m.size(); i++) {
                    if (!m.kept(i)) {
                        assertThat(q.values()[i]).isZero();
                        assertThat(c.param(n.weightName()).data()[i]).isZero();
                    }
                }
            }
        }
        assertThat(r.report().layer("conv2").quantization()).isEqualTo("int4 mixed");
    }

    @Test
    void requantizeKeepsBitsSchemeAndMasksAfterWeightsMove() {
        Graph g = Zoo.lenet5(2, 10);
        Graph c = Compressor.compress(g, "{\"layers\": {\"fc1\": {\"prune\": {\"scheme\": \"unstructured\", \"rate\": 0.5},"
                + " \"quantize\": {\"bits\": 4, \"scheme\": \"power-of-two\"}}, \"conv2\": {\"quantize\": {\"bits\": 8, \"scheme\": \"symmetric\"}}}}").graph();
        // what fine-tuning does: float weights move (masked ones stay 0), the integer copy goes stale
        Random rnd = new Random(1);
        Graph.Builder b = c.toBuilder();
        for (String p : List.of("fc1.weight", "conv2.weight", "fc2.weight")) {
            Tensor t = c.param(p).copy();
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] += (float) rnd.nextGaussian() * 0.01f;
            }
            if (c.mask(p) != null) {
                c.mask(p).applyTo(t);
            }
            b.param(p, t).quantized(p, null);
        }
        Graph moved = b.build();
        Graph rq = Compressor.requantize(moved);
        assertThat(rq.quantized("fc1.weight").bits()).isEqualTo(4);
        assertThat(rq.quantized("fc1.weight").scheme()).isEqualTo(QuantScheme.POWER_OF_TWO);
        assertThat(rq.quantized("conv2.weight").scheme()).isEqualTo(QuantScheme.SYMMETRIC);
        assertThat(rq.quantized("fc2.weight")).isNull();
        assertThat(rq.param("fc1.weight")).isEqualTo(rq.quantized("fc1.weight").dequantize());
        assertThat(rq.param("fc1.weight").countNonZero()).isLessThanOrEqualTo(rq.mask("fc1.weight").keptCount());
        assertThat(rq.param("fc2.weight")).isEqualTo(moved.param("fc2.weight"));
    }

    @Test
    void int8KeepsTheModelsOutputsClose() {
        Graph g = Zoo.vgg(2, 10);
        Graph q = Compressor.compress(g, "{\"default\": {\"quantize\": {\"bits\": 8, \"scheme\": \"symmetric\"}}}").graph();
        float[] x = FilterPruningTest.input(g, 3);
        float[] a = new ReferenceInterpreter(g).forward(x);
        float[] b = new ReferenceInterpreter(q).forward(x);
        double maxAbs = 0;
        double maxDiff = 0;
        for (int i = 0; i < a.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(a[i]));
            maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        }
        assertThat(maxDiff).isLessThan(0.05 * maxAbs);
    }

    @Test
    void calibrationRecordsInputRangesPerLayer() {
        Graph g = Zoo.lenet5(2, 10);
        List<float[]> images = List.of(FilterPruningTest.input(g, 1), FilterPruningTest.input(g, 2), FilterPruningTest.input(g, 3));
        Graph c = ActivationCalibrator.maxAbs().calibrate(g, images);
        float expected = 0;
        for (float[] img : images) {
            Map<String, float[]> acts = new ReferenceInterpreter(g).forwardAll(img);
            for (float v : acts.get("pool1")) {
                expected = Math.max(expected, Math.abs(v));
            }
        }
        assertThat(Float.parseFloat(c.metadata().get("act_max.conv2"))).isEqualTo(expected);
        assertThat(Float.parseFloat(c.metadata().get("act_scale.conv2"))).isEqualTo(expected / 127f);
        for (var n : g.weightedNodes()) {
            assertThat(Float.parseFloat(c.metadata().get("act_scale." + n.name()))).isPositive();
        }
        Map<String, Float> p = new ActivationCalibrator(99.0, 2).ranges(g, images);
        assertThat(p.get("conv2")).isLessThanOrEqualTo(expected).isPositive();
        assertThat(c.metadata().get(ActivationCalibrator.INFO_KEY)).isEqualTo("max-abs over 3 images");
    }

    private static double err(Tensor w, QuantizedTensor q) {
        double s = 0;
        for (int i = 0; i < w.size(); i++) {
            double e = w.data()[i] - q.value(i);
            s += e * e;
        }
        return s;
    }
}
