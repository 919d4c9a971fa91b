package dev.frontier.worker.compile.pass;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.QuantScheme;
import dev.frontier.worker.model.QuantizedTensor;

import java.util.HashMap;
import java.util.Map;

/**
 * Chooses each layer's kernel format from its masks (and integer weights). The thresholds come from
 * the probe on this class of machine: the sparse conv kernel runs at roughly half the FLOP rate of
 * the dense one, so sparsity pays once fewer than ~45% of the MACs remain.
 */
public final class FormatSelector {
    public enum Format { DENSE, SPARSE_CONV, DIRECT, BLOCK, INT8 }

    static final double SPARSE_CONV_MAX_KEPT = 0.45;
    static final double BLOCK_MAX_KEPT = 0.6;
    static final int MAX_PATTERNS = 32;

    private FormatSelector() {
    }

    public static boolean isSameStride1(Layer.Conv2d c) {
        return c.groups() == 1 && c.stride() == 1 && c.kernelH() == c.kernelW() && c.kernelH() % 2 == 1
                && c.padding() == (c.kernelH() - 1) / 2;
    }

    public static Format conv(Graph g, Node n) {
        Layer.Conv2d c = (Layer.Conv2d) n.layer();
        if (!isSameStride1(c)) {
            return Format.DIRECT;
        }
        Mask m = g.mask(n.weightName());
        if (m == null || c.kernelH() * c.kernelW() > 31) {
            return Format.DENSE;
        }
        KernelMasks km = KernelMasks.of(m, c.outChannels(), c.inChannels(), c.kernelH() * c.kernelW());
        double effective = km.distinct.size() <= MAX_PATTERNS ? km.keptTaps : (double) km.keptKernels * km.k2;
        return effective / ((double) km.k2 * c.outChannels() * c.inChannels()) <= SPARSE_CONV_MAX_KEPT
                ? Format.SPARSE_CONV : Format.DENSE;
    }

    public static Format linear(Graph g, Node n) {
        QuantizedTensor q = g.quantized(n.weightName());
        if (isIntegerKernelable(q)) {
            return Format.INT8;
        }
        Mask m = g.mask(n.weightName());
        if (m == null) {
            return Format.DENSE;
        }
        Layer.Linear f = (Layer.Linear) n.layer();
        int r = PackBlockSparse.rowsPerBlock(m, f.outFeatures(), f.inFeatures());
        return r > 0 && (double) m.keptCount() / m.size() <= BLOCK_MAX_KEPT ? Format.BLOCK : Format.DENSE;
    }

    /** Only symmetric per-row int8 runs on integer kernels; int4 and power-of-two rows run dequantized. */
    public static boolean isIntegerKernelable(QuantizedTensor q) {
        if (q == null || q.bits() != 8 || q.scheme() == QuantScheme.POWER_OF_TWO) {
            return false;
        }
        for (boolean p2 : q.rowPowerOfTwo()) {
            if (p2) {
                return false;
            }
        }
        return true;
    }

    /** Per-kernel tap masks (bit t = tap t kept) of a [cout][cin][k*k] weight mask. */
    static final class KernelMasks {
        final int[] masks;
        final int k2;
        final Map<Integer, Integer> distinct = new HashMap<>();
        long keptTaps;
        long keptKernels;

        private KernelMasks(int[] masks, int k2) {
            this.masks = masks;
            this.k2 = k2;
        }

        static KernelMasks of(Mask m, int cout, int cin, int k2) {
            boolean[] keep = m.keep();
            int[] km = new int[cout * cin];
            KernelMasks r = new KernelMasks(km, k2);
            for (int kidx = 0; kidx < km.length; kidx++) {
                int bits = 0;
                for (int t = 0; t < k2; t++) {
                    if (keep[kidx * k2 + t]) {
                        bits |= 1 << t;
                    }
                }
                km[kidx] = bits;
                if (bits != 0) {
                    r.keptKernels++;
                    r.keptTaps += Integer.bitCount(bits);
                    r.distinct.merge(bits, 1, Integer::sum);
                }
            }
            return r;
        }
    }
}
