package dev.frontier.worker.compile.nativ;

import dev.frontier.worker.compile.Layout;

import java.util.Locale;

/** Small helpers for writing C: exact float literals, constant arrays, identifiers, layouts. */
final class CText {
    private CText() {
    }

    /** A C float literal that is bit-exact (hex float), so the generated code holds the artifact's weights. */
    static String f(float v) {
        if (Float.isNaN(v) || Float.isInfinite(v)) {
            throw new IllegalArgumentException("weight " + v + " cannot be compiled to C");
        }
        return Float.toHexString(v) + "f";
    }

    /** {@code static const float NAME[n]} aligned to 64 bytes (aligned vector loads of packed weights). */
    static void floatArray(StringBuilder sb, String name, float[] a) {
        sb.append("static const float ").append(name).append('[').append(Math.max(1, a.length))
                .append("] __attribute__((aligned(64))) = {");
        for (int i = 0; i < a.length; i++) {
            sb.append(i % 8 == 0 ? "\n    " : " ").append(f(a[i])).append(',');
        }
        if (a.length == 0) {
            sb.append("0.0f");
        }
        sb.append("\n};\n");
    }

    /** A C identifier from a layer name (letters, digits, underscores). */
    static String ident(String name) {
        String s = name.replaceAll("[^A-Za-z0-9_]", "_");
        return s.isEmpty() || Character.isDigit(s.charAt(0)) ? "_" + s : s;
    }

    static String layout(Layout l) {
        return String.format(Locale.ROOT, "((fr_layout){%d, %d, %d, %d})", l.c(), l.h(), l.w(), l.pad());
    }

    static String quoted(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    static float[] padTo16(float[] a) {
        float[] p = new float[(a.length + 15) / 16 * 16];
        System.arraycopy(a, 0, p, 0, a.length);
        return p;
    }
}
