package dev.frontier.worker.compile.nativ;

import dev.frontier.worker.compile.Layout;

import java.util.Locale;

/**
 * Int8 layers. Convolutions: VNNI (vpdpbusd) register blocks like the float dense kernel, weights
 * packed [oc block][ic/4][tap][16][4]; pattern/connectivity int8 layers sparse enough run
 * {@link Int8SparseEmitter}'s kernel, which skips every all-zero (4-channel quad, tap), the others the
 * dense kernel on their expanded codes. Linear: the exact scalar loop
 * (gcc vectorises it). Every layer also has its scalar twin; both are bit-identical to the JVM.
 */
final class Int8Emitter {
    private Int8Emitter() {
    }

    /** Scratch bytes a layer needs for its quantized input. */
    static long scratchBytes(Object op, Layout li) {
        if (op instanceof NativeOps.Int8Conv c) {
            long packed = Math.max((long) (c.cin() + 3) / 4 * li.plane() * 4, (long) c.cin() * li.plane()) + 64;
            // im2col form: [ceil(R/4)][plane][4] plus the cin code planes behind it
            long im2col = (long) (c.cin() * c.k() * c.k() + 3) / 4 * li.plane() * 4 + (long) c.cin() * li.plane() + 128;
            return im2col(c) ? Math.max(packed, im2col) : packed;
        }
        if (op instanceof NativeOps.Int8Linear l) {
            return l.padded() + 64L;
        }
        return 0;
    }

    static void linear(StringBuilder data, StringBuilder body, String fn, NativeOps.Int8Linear l, String in,
                       String out, String scratch) {
        bytes(data, fn + "_w", l.w());
        CText.floatArray(data, fn + "_s", l.scales());
        CText.floatArray(data, fn + "_b", l.bias());
        data.append("#ifdef FR_VNNI\n");
        int[] comp = compensation(l.w(), l.padded(), l.out(), 1);
        data.append("static const int32_t ").append(fn).append("_comp[").append(Math.max(1, comp.length)).append("] = {");
        for (int i = 0; i < comp.length; i++) {
            data.append(i % 16 == 0 ? "\n    " : "").append(comp[i]).append(',');
        }
        data.append(comp.length == 0 ? "0" : "").append("\n};\n#endif\n");
        body.append("#ifdef FR_VNNI\n");
        body.append(String.format(Locale.ROOT, "    fr_linear8_vnni(%s, %s, (int8_t *) %s, %s_w, %s_comp, %s_s, %s_b, %d, %d, %d, %d);%n",
                in, out, scratch, fn, fn, fn, fn, l.in(), l.padded(), l.out(), l.h().act()));
        body.append("#else\n");
        body.append(String.format(Locale.ROOT, "    fr_linear8(%s, %s, (int8_t *) %s, %s_w, %s_s, %s_b, %d, %d, %d, %d);%n",
                in, out, scratch, fn, fn, fn, l.in(), l.padded(), l.out(), l.h().act()));
        body.append("#endif\n");
    }

    static void conv(StringBuilder data, StringBuilder body, String fn, NativeOps.Int8Conv c, Layout li, Layout lo,
                     String in, String out, String scratch) {
        if (li.plane() != lo.plane() || li.rowStride() != lo.rowStride() || li.pad() < c.pad()) {
            throw new UnsupportedOperationException(c.h().name() + ": int8 conv needs equal geometry and a ring");
        }
        int k2 = c.k() * c.k();
        int coutp = (c.cout() + 15) / 16 * 16;
        boolean im2col = im2col(c);
        boolean sparse = Int8SparseEmitter.applies(c);
        data.append("#ifdef FR_VNNI\n");
        if (!sparse) {
            // im2col: a 1x1 problem whose reduction is (tap, channel), packed like any 1x1 conv's
            bytes(data, fn + "_wp", im2col ? pack(tapMajor(c.codes(), c.cin(), c.cout(), k2), c.cin() * k2, c.cout(), 1)
                    : pack(c.codes(), c.cin(), c.cout(), k2));
        }
        data.append("static const int32_t ").append(fn).append("_comp[").append(coutp)
                .append("] __attribute__((aligned(64))) = {");
        int[] comp = compensation(c.codes(), c.cin(), c.cout(), k2);
        for (int i = 0; i < coutp; i++) {
            data.append(i < comp.length ? comp[i] : 0).append(i + 1 < coutp ? ", " : "");
        }
        data.append("};\n#else\n");
        bytes(data, fn + "_w", c.codes());
        data.append("#endif\n");
        CText.floatArray(data, fn + "_ws", c.weightScale());
        CText.floatArray(data, fn + "_b", CText.padTo16(c.bias()));
        String sparseCalls = null;
        if (sparse) {
            data.append("#ifdef FR_VNNI\n");
            sparseCalls = Int8SparseEmitter.emit(data, fn, c, li, lo);
            data.append("#endif\n");
        }
        body.append("    const float *restrict in = ").append(in).append(";\n");
        body.append("    float *restrict out = ").append(out).append(";\n");
        body.append(String.format(Locale.ROOT, "    const float sx = fr_input_scale(%s, in, %d);%n",
                CText.f(c.inputScale()), li.span()));
        body.append("#ifdef FR_VNNI\n");
        body.append(String.format(Locale.ROOT,
                "    float sc[%d] __attribute__((aligned(64)));%n    for (int i = 0; i < %d; i++) sc[i] = i < %d ? %s_ws[i] * sx : 0.f;%n",
                coutp, coutp, c.cout(), fn));
        body.append(String.format(Locale.ROOT, "    const uint8_t *q = (const uint8_t *) %s;%n", scratch));
        int kq = (c.cin() * k2 + 3) / 4;
        if (im2col) {
            body.append(String.format(Locale.ROOT, "    fr_im2col_u8x4(in, (uint8_t *) %s, (uint8_t *) %s + %d, %d, %d, %d, %d, %d, %d, %d, %d, 1.f / sx);%n",
                    scratch, scratch, (long) kq * li.plane() * 4 + 64, c.cin(), c.k(), c.pad(), li.plane(), li.rowStride(),
                    lo.h(), lo.w(), lo.pad()));
        } else {
            body.append(String.format(Locale.ROOT, "    fr_quant_u8x4(in, (uint8_t *) %s, %d, %d, 1.f / sx);%n", scratch,
                    c.cin(), li.plane()));
        }
        if (sparse) {
            body.append(sparseCalls).append("#else\n");
            body.append(scalarTwin(fn, c, lo, scratch));
            body.append("#endif\n");
            return;
        }
        DenseConvEmitter.Block b = DenseConvEmitter.choose(c.cout(), lo.w());
        int nob = coutp / 16;
        int icq = im2col ? kq : (c.cin() + 3) / 4;
        int kernel = im2col ? 1 : c.k();
        int kpad = im2col ? 0 : c.pad();
        int taps = im2col ? 1 : k2;
        int full = nob / b.ocv() * b.ocv();
        String call = "        fr_dense8_blk(q, out, %s_wp + (size_t) ob * %d, %s_comp, sc, %s_b, %d, %d, %d, %d, %d, %d, %d, p + %d, ob * 16, %d, %d);%n";
        for (int[] grp : new int[][] {{0, full, b.ocv()}, {full, nob, nob - full}}) {
            if (grp[0] >= grp[1]) {
                continue;
            }
            body.append(String.format(Locale.ROOT, "    for (int ob = %d; ob < %d; ob += %d)%n", grp[0], grp[1], grp[2]));
            body.append(String.format(Locale.ROOT, "    for (int y = 0; y < %d; y++) {%n        const int p = (y + %d) * %d + %d;%n",
                    lo.h(), lo.pad(), lo.rowStride(), lo.pad()));
            for (int x0 = 0; x0 < lo.w(); x0 += b.pw()) {
                body.append(String.format(Locale.ROOT, call, fn, icq * taps * 64, fn, fn, icq, lo.plane(), lo.rowStride(),
                        kernel, kpad, grp[2], Math.min(b.pw(), lo.w() - x0), x0, c.cout(), c.h().act()));
            }
            body.append("    }\n");
        }
        body.append("#else\n");
        body.append(scalarTwin(fn, c, lo, scratch));
        body.append("#endif\n");
    }

    /** The layer's scalar C twin (builds without VNNI), bit-identical to the vector kernels. */
    private static String scalarTwin(String fn, NativeOps.Int8Conv c, Layout lo, String scratch) {
        return String.format(Locale.ROOT, "    fr_conv8_ref(in, out, (int8_t *) %s, %s_w, %s_ws, sx, %s_b, %s, %d, %d, %d, %d, %d);%n",
                scratch, fn, fn, fn, CText.layout(lo), c.cin(), c.cout(), c.k(), c.pad(), c.h().act());
    }

    /** Fewer than 4 input channels and a spatial kernel: the im2col form (see fr_im2col_u8x4) wastes fewer lanes. */
    static boolean im2col(NativeOps.Int8Conv c) {
        return c.cin() < 4 && c.k() > 1;
    }

    /** Codes [oc][ic][tap] reordered to [oc][tap * cin + ic], the im2col reduction order. */
    static byte[] tapMajor(byte[] w, int cin, int cout, int k2) {
        byte[] out = new byte[w.length];
        for (int oc = 0; oc < cout; oc++) {
            for (int ic = 0; ic < cin; ic++) {
                for (int t = 0; t < k2; t++) {
                    out[oc * cin * k2 + t * cin + ic] = w[(oc * cin + ic) * k2 + t];
                }
            }
        }
        return out;
    }

    /** [ocb][ic/4][tap][16 oc][4 ic] with zeros for padded channels. */
    static byte[] pack(byte[] w, int cin, int cout, int k2) {
        int nob = (cout + 15) / 16;
        int icq = (cin + 3) / 4;
        byte[] p = new byte[nob * icq * k2 * 64];
        for (int oc = 0; oc < cout; oc++) {
            for (int ic = 0; ic < cin; ic++) {
                for (int t = 0; t < k2; t++) {
                    p[(((oc / 16) * icq + ic / 4) * k2 + t) * 64 + (oc % 16) * 4 + ic % 4] = w[(oc * cin + ic) * k2 + t];
                }
            }
        }
        return p;
    }

    /** 128 x the sum of each output channel's codes: what the +128 activation offset adds to its sums. */
    static int[] compensation(byte[] w, int cin, int cout, int k2) {
        int[] c = new int[cout];
        for (int oc = 0; oc < cout; oc++) {
            for (int i = 0; i < cin * k2; i++) {
                c[oc] += 128 * w[oc * cin * k2 + i];
            }
        }
        return c;
    }

    static void bytes(StringBuilder sb, String name, byte[] a) {
        sb.append("static const int8_t ").append(name).append('[').append(Math.max(1, a.length))
                .append("] __attribute__((aligned(64))) = {");
        for (int i = 0; i < a.length; i++) {
            sb.append(i % 24 == 0 ? "\n    " : "").append(a[i]).append(',');
        }
        sb.append(a.length == 0 ? "0" : "").append("\n};\n");
    }
}
