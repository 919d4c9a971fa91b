package dev.frontier.worker.demo;

import java.util.Locale;

/** Numbers for people: three significant digits and a unit. */
final class Numbers {
    private Numbers() {
    }

    /** e.g. 0.152 ms, 1.52 ms, 152 ms, 1.52 s. */
    static String ms(double ms) {
        if (!Double.isFinite(ms)) {
            return "-";
        }
        if (ms >= 1000) {
            return sig3(ms / 1000) + " s";
        }
        if (ms < 0.1) {
            return sig3(ms * 1000) + " µs";
        }
        return sig3(ms) + " ms";
    }

    static String sig3(double v) {
        if (v == 0) {
            return "0";
        }
        int digits = Math.max(0, 2 - (int) Math.floor(Math.log10(Math.abs(v))));
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
