package dev.frontier.worker.compile.pass;

import dev.frontier.worker.compile.op.ConvOps;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.model.Mask;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * IR layer -> sparse conv op: the compact per-filter format (pattern id + one weight per pattern tap
 * for every kept kernel, kernels grouped by pattern) and the filter reordering that puts filters with
 * equal pattern sets next to each other. When the mask has more distinct kernel shapes than a pattern
 * library holds (connectivity pruning of otherwise dense kernels, unstructured masks), every kept
 * kernel uses the full k x k tap set: whole removed kernels are still skipped.
 */
public final class PackPatternWeights {
    private PackPatternWeights() {
    }

    public static ConvOps.Sparse pack(Op.Header h, int cin, int cout, int k, int pad, float[] w, float[] bias, Mask m) {
        int k2 = k * k;
        FormatSelector.KernelMasks km = FormatSelector.KernelMasks.of(m, cout, cin, k2);
        boolean library = km.distinct.size() <= FormatSelector.MAX_PATTERNS;
        int full = (1 << k2) - 1;
        // pattern ids: most frequent first, so ids are stable and small
        List<Integer> patterns = new ArrayList<>();
        if (library) {
            km.distinct.entrySet().stream()
                    .sorted(Map.Entry.<Integer, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> patterns.add(e.getKey()));
        } else {
            patterns.add(full);
        }
        int[] kernelPattern = new int[cout * cin];
        for (int i = 0; i < kernelPattern.length; i++) {
            kernelPattern[i] = km.masks[i] == 0 ? -1 : library ? patterns.indexOf(km.masks[i]) : 0;
        }
        // per filter: counts per pattern -> signature used to reorder filters
        int np = patterns.size();
        int[][] counts = new int[cout][np];
        for (int oc = 0; oc < cout; oc++) {
            for (int ic = 0; ic < cin; ic++) {
                int p = kernelPattern[oc * cin + ic];
                if (p >= 0) {
                    counts[oc][p]++;
                }
            }
        }
        Integer[] ord = new Integer[cout];
        for (int i = 0; i < cout; i++) {
            ord[i] = i;
        }
        Comparator<Integer> bySet = (a, b) -> {
            for (int p = 0; p < np; p++) {
                boolean ha = counts[a][p] > 0;
                boolean hb = counts[b][p] > 0;
                if (ha != hb) {
                    return ha ? -1 : 1;
                }
            }
            return Integer.compare(Arrays.stream(counts[b]).sum(), Arrays.stream(counts[a]).sum());
        };
        Arrays.sort(ord, bySet.thenComparing(Comparator.naturalOrder()));
        int[] order = Arrays.stream(ord).mapToInt(Integer::intValue).toArray();

        List<Integer> groupPattern = new ArrayList<>();
        List<Integer> groupKernels = new ArrayList<>();
        List<Integer> kernelIc = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        int[] ocGroups = new int[cout + 1];
        for (int i = 0; i < cout; i++) {
            int oc = order[i];
            ocGroups[i] = groupPattern.size();
            for (int p = 0; p < np; p++) {
                if (counts[oc][p] == 0) {
                    continue;
                }
                groupPattern.add(p);
                groupKernels.add(kernelIc.size());
                int bits = patterns.get(p);
                for (int ic = 0; ic < cin; ic++) {
                    if (kernelPattern[oc * cin + ic] != p) {
                        continue;
                    }
                    kernelIc.add(ic);
                    for (int t = 0; t < k2; t++) {
                        if ((bits >>> t & 1) != 0) {
                            weights.add(w[(oc * cin + ic) * k2 + t]);
                        }
                    }
                }
            }
        }
        ocGroups[cout] = groupPattern.size();
        groupKernels.add(kernelIc.size());
        float[] wv = new float[weights.size()];
        for (int i = 0; i < wv.length; i++) {
            wv[i] = weights.get(i);
        }
        return new ConvOps.Sparse(h, cin, cout, k, pad, patterns.stream().mapToInt(Integer::intValue).toArray(), order,
                ocGroups, toInts(groupPattern), toInts(groupKernels), toInts(kernelIc), wv, bias);
    }

    private static int[] toInts(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
