package dev.frontier.worker.bench;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small private mask generator so {@code bench} and the tests can make pattern + connectivity and
 * block variants without the compress package: 4-of-9 patterns with the centre kept, a library of
 * the most frequent best-fitting patterns per layer, then whole kernels removed by L2 norm. No
 * fine-tuning: these variants are for timing and correctness, not accuracy.
 */
public final class VariantMaker {
    private VariantMaker() {
    }

    /** Pattern + connectivity on every 3x3 stride-1 conv, for a weight reduction of {@code factor} (>= 2.25). */
    public static Graph patternConnectivity(Graph g, double factor, int libraryPatterns) {
        double connectivity = Math.max(0, 1 - 9.0 / 4.0 / factor);
        Graph.Builder b = g.toBuilder();
        for (Node n : g.nodes()) {
            if (!(n.layer() instanceof Layer.Conv2d c) || !c.is3x3() || c.groups() != 1) {
                continue;
            }
            Tensor w = g.param(n.weightName()).copy();
            Mask m = patternMask(w.data(), w.shape(), c.outChannels() * c.inChannels(), libraryPatterns, connectivity);
            Mask prior = g.mask(n.weightName());
            if (prior != null) {
                m = m.and(prior);
            }
            m.applyTo(w);
            b.param(n.weightName(), w).mask(n.weightName(), m);
        }
        return b.metadata("variant", String.format(java.util.Locale.ROOT, "pattern+connectivity %.1fx", factor)).build();
    }

    static Mask patternMask(float[] w, int[] shape, int kernels, int library, double connectivity) {
        List<Integer> candidates = new ArrayList<>();
        for (int bits = 0; bits < 512; bits++) {
            if (Integer.bitCount(bits) == 4 && (bits & 16) != 0) {
                candidates.add(bits);
            }
        }
        Map<Integer, Integer> freq = new HashMap<>();
        for (int k = 0; k < kernels; k++) {
            freq.merge(best(w, k, candidates), 1, Integer::sum);
        }
        List<Integer> lib = freq.entrySet().stream()
                .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(library).map(Map.Entry::getKey).toList();
        int[] chosen = new int[kernels];
        double[] norm = new double[kernels];
        for (int k = 0; k < kernels; k++) {
            chosen[k] = best(w, k, lib);
            norm[k] = energy(w, k, chosen[k]);
        }
        int remove = (int) Math.round(connectivity * kernels);
        Integer[] idx = new Integer[kernels];
        for (int k = 0; k < kernels; k++) {
            idx[k] = k;
        }
        Arrays.sort(idx, (a, c) -> Double.compare(norm[a], norm[c]));
        for (int r = 0; r < remove; r++) {
            chosen[idx[r]] = 0;
        }
        boolean[] keep = new boolean[kernels * 9];
        for (int k = 0; k < kernels; k++) {
            for (int t = 0; t < 9; t++) {
                keep[k * 9 + t] = (chosen[k] >>> t & 1) != 0;
            }
        }
        return new Mask(shape, keep);
    }

    private static int best(float[] w, int k, List<Integer> patterns) {
        int best = patterns.get(0);
        double e = -1;
        for (int p : patterns) {
            double v = energy(w, k, p);
            if (v > e) {
                e = v;
                best = p;
            }
        }
        return best;
    }

    private static double energy(float[] w, int k, int bits) {
        double s = 0;
        for (int t = 0; t < 9; t++) {
            if ((bits >>> t & 1) != 0) {
                s += (double) w[k * 9 + t] * w[k * 9 + t];
            }
        }
        return s;
    }

    /** Block pruning of every linear layer: [rows x cols] blocks, {@code rate} of each block's columns removed by L2. */
    public static Graph blockLinear(Graph g, int rows, int cols, double rate) {
        Graph.Builder b = g.toBuilder();
        for (Node n : g.nodes()) {
            if (!(n.layer() instanceof Layer.Linear f)) {
                continue;
            }
            Tensor w = g.param(n.weightName()).copy();
            int out = f.outFeatures();
            int in = f.inFeatures();
            boolean[] keep = new boolean[out * in];
            Arrays.fill(keep, true);
            for (int r0 = 0; r0 < out; r0 += rows) {
                for (int c0 = 0; c0 < in; c0 += cols) {
                    int cw = Math.min(cols, in - c0);
                    double[] norm = new double[cw];
                    for (int c = 0; c < cw; c++) {
                        for (int r = r0; r < Math.min(out, r0 + rows); r++) {
                            norm[c] += Math.pow(w.data()[r * in + c0 + c], 2);
                        }
                    }
                    Integer[] idx = new Integer[cw];
                    for (int c = 0; c < cw; c++) {
                        idx[c] = c;
                    }
                    Arrays.sort(idx, (a, c) -> Double.compare(norm[a], norm[c]));
                    int remove = (int) Math.round(rate * cw);
                    for (int q = 0; q < remove; q++) {
                        for (int r = r0; r < Math.min(out, r0 + rows); r++) {
                            keep[r * in + c0 + idx[q]] = false;
                        }
                    }
                }
            }
            Mask m = new Mask(w.shape(), keep);
            m.applyTo(w);
            b.param(n.weightName(), w).mask(n.weightName(), m);
        }
        return b.build();
    }
}
