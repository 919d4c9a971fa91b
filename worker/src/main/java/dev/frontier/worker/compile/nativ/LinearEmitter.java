package dev.frontier.worker.compile.nativ;

import java.util.Locale;

/**
 * Fully connected layers: weights transposed to [in][out rounded up to 16] so one broadcast input
 * feeds up to 16 output vectors held in registers, and the weights stream once, in order.
 */
final class LinearEmitter {
    private static final int MAX_VECTORS = 16;

    private LinearEmitter() {
    }

    static void emit(StringBuilder data, StringBuilder body, String fn, NativeOps.Linear l, String in, String out) {
        int outp = (l.out() + 15) / 16 * 16;
        float[] wt = new float[l.in() * outp];
        for (int o = 0; o < l.out(); o++) {
            for (int i = 0; i < l.in(); i++) {
                wt[i * outp + o] = l.w()[o * l.in() + i];
            }
        }
        int act = l.h().act();
        data.append("#ifdef FR_AVX512\n");
        CText.floatArray(data, fn + "_wt", wt);
        CText.floatArray(data, fn + "_bp", CText.padTo16(l.bias()));
        data.append("#else\n");
        CText.floatArray(data, fn + "_w", l.w());
        CText.floatArray(data, fn + "_b", l.bias());
        data.append("#endif\n");
        body.append("#ifdef FR_AVX512\n");
        for (int o0 = 0; o0 < outp; o0 += 16 * MAX_VECTORS) {
            int nv = Math.min(MAX_VECTORS, (outp - o0) / 16);
            body.append(String.format(Locale.ROOT, "    fr_linear_blk(%s, %s, %s_wt, %s_bp, %d, %d, %d, %d, %d, %d);%n",
                    in, out, fn, fn, l.in(), outp, o0, nv, l.out(), act));
        }
        body.append("#else\n");
        body.append(String.format(Locale.ROOT, "    fr_linear_ref(%s, %s, %s_w, %s_b, %d, %d, %d);%n", in, out, fn, fn,
                l.in(), l.out(), act));
        body.append("#endif\n");
    }
}
