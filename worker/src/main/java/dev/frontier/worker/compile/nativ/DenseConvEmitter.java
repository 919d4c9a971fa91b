package dev.frontier.worker.compile.nativ;

import dev.frontier.worker.compile.Layout;

import java.util.Locale;

/**
 * Dense "same" stride-1 convolutions: weights packed [oc block of 16][ic][tap][16] and the register
 * block of {@code fr_dense_blk} (OCV x 16 output channels x PW pixels of a row) chosen per layer.
 */
final class DenseConvEmitter {
    /** Accumulator registers the block may use: 32 zmm minus the OCV weight vectors and one broadcast. */
    private static final int ACC_BUDGET = 24;

    private DenseConvEmitter() {
    }

    /** Register block (vectors of output channels, pixels per row segment) for a layer. */
    record Block(int ocv, int pw) {
    }

    static Block choose(int cout, int width) {
        int nob = (cout + 15) / 16;
        Block best = null;
        double bestCost = Double.MAX_VALUE;
        for (int ocv = 1; ocv <= Math.min(4, nob); ocv++) {
            int pwMax = Math.min(16, ACC_BUDGET / ocv);
            int segs = (width + pwMax - 1) / pwMax;
            int pw = (width + segs - 1) / segs;
            // per tap: ocv weight loads + pw broadcasts feed ocv*pw FMAs; FMA-bound when loads <= 1.5x FMAs/2
            double fma = ocv * pw;
            double loads = ocv + pw;
            // and latency-bound below 8 independent accumulators (4-cycle FMA latency, 2 FMA pipes)
            double perFma = Math.max(Math.max(0.5, loads / 3.0 / fma), 4.0 / fma);
            // output-channel blocks that do not fill the last group of ocv still run at their own width
            int groups = (nob + ocv - 1) / ocv;
            double waste = (double) groups * ocv / nob;
            double cost = perFma * waste * (double) segs * pw / width;
            if (cost < bestCost - 1e-9) {
                bestCost = cost;
                best = new Block(ocv, pw);
            }
        }
        return best;
    }

    /** [ocb][ic][tap][16] with zero lanes past cout. */
    static float[] pack(float[] w, int cin, int cout, int k2) {
        int nob = (cout + 15) / 16;
        float[] p = new float[nob * cin * k2 * 16];
        for (int oc = 0; oc < cout; oc++) {
            for (int ic = 0; ic < cin; ic++) {
                for (int t = 0; t < k2; t++) {
                    p[(((oc / 16) * cin + ic) * k2 + t) * 16 + oc % 16] = w[(oc * cin + ic) * k2 + t];
                }
            }
        }
        return p;
    }

    /** The AVX-512 body of a dense conv layer over {@code in}/{@code out} (variables of the layer function). */
    static void emitVector(StringBuilder sb, String wName, String bName, NativeOps.Conv c, Layout li, Layout lo) {
        int nob = (c.cout() + 15) / 16;
        Block b = choose(c.cout(), lo.w());
        int k = c.kh();
        int wstride = c.cin() * k * k * 16;
        int full = nob / b.ocv() * b.ocv();
        if (full > 0) {
            sb.append(String.format(Locale.ROOT, "    for (int ob = 0; ob < %d; ob += %d)%n", full, b.ocv()));
            rows(sb, wName, bName, c, lo, b.ocv(), b.pw(), "ob", wstride, k);
        }
        if (full < nob) {
            sb.append(String.format(Locale.ROOT, "    { const int ob = %d;%n", full));
            rows(sb, wName, bName, c, lo, nob - full, b.pw(), "ob", wstride, k);
            sb.append("    }\n");
        }
    }

    private static void rows(StringBuilder sb, String wName, String bName, NativeOps.Conv c, Layout lo, int ocv,
                             int pwMax, String ob, int wstride, int k) {
        sb.append(String.format(Locale.ROOT, "    for (int y = 0; y < %d; y++) {%n", lo.h()));
        sb.append(String.format(Locale.ROOT, "        const int p = (y + %d) * %d + %d;%n", lo.pad(), lo.rowStride(),
                lo.pad()));
        for (int x0 = 0; x0 < lo.w(); x0 += pwMax) {
            int pw = Math.min(pwMax, lo.w() - x0);
            sb.append(String.format(Locale.ROOT,
                    "        fr_dense_blk(in, out, %s + (size_t) %s * %d, %s, %d, %d, %d, %d, %d, %d, %d, p + %d, %s * 16, %d, %d);%n",
                    wName, ob, wstride, bName, c.cin(), lo.plane(), lo.rowStride(), k, c.padding(), ocv, pw, x0, ob,
                    c.cout(), c.h().act()));
        }
        sb.append("    }\n");
    }
}
