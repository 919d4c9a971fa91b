package dev.frontier.worker.compress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The 4-of-9 shapes of pattern pruning and the choice of a library among them. A pattern is a 9-bit
 * mask over a 3x3 kernel in row-major order (bit i = position i); position 4, the centre, is always
 * set, plus 3 of the 8 neighbours: 56 candidates.
 */
public final class PatternLibrary {
    public static final int CENTRE = 4;
    public static final int KERNEL = 9;
    /** All 56 candidates, in increasing mask order (which is also the tie-break order). */
    public static final List<Integer> CANDIDATES;

    static {
        List<Integer> c = new ArrayList<>();
        for (int m = 0; m < 1 << KERNEL; m++) {
            if ((m & (1 << CENTRE)) != 0 && Integer.bitCount(m) == 4) {
                c.add(m);
            }
        }
        CANDIDATES = Collections.unmodifiableList(c);
    }

    private final int[] patterns;

    public PatternLibrary(int[] patterns) {
        for (int p : patterns) {
            if (!CANDIDATES.contains(p)) {
                throw new IllegalArgumentException("not a 4-of-9 pattern with the centre: " + Integer.toBinaryString(p));
            }
        }
        this.patterns = patterns.clone();
    }

    public int[] patterns() {
        return patterns.clone();
    }

    public int size() {
        return patterns.length;
    }

    public boolean contains(int pattern) {
        for (int p : patterns) {
            if (p == pattern) {
                return true;
            }
        }
        return false;
    }

    /** The first {@code k} patterns (libraries of different sizes chosen from one ranking nest). */
    public PatternLibrary first(int k) {
        return new PatternLibrary(Arrays.copyOf(patterns, Math.min(k, patterns.length)));
    }

    /** The library pattern that keeps the most energy of {@code kernel[off..off+9)}; ties to the earlier one. */
    public int project(float[] w, int off) {
        int best = patterns[0];
        double bestEnergy = -1;
        for (int p : patterns) {
            double e = energy(w, off, p);
            if (e > bestEnergy) {
                bestEnergy = e;
                best = p;
            }
        }
        return best;
    }

    static double energy(float[] w, int off, int pattern) {
        double s = 0;
        for (int i = 0; i < KERNEL; i++) {
            if ((pattern & (1 << i)) != 0) {
                double v = w[off + i];
                s += v * v;
            }
        }
        return s;
    }

    /** The best of all 56 candidates for one kernel: the centre plus its three strongest neighbours. */
    static int bestCandidate(float[] w, int off) {
        int best = CANDIDATES.get(0);
        double bestEnergy = -1;
        for (int p : CANDIDATES) {
            double e = energy(w, off, p);
            if (e > bestEnergy) {
                bestEnergy = e;
                best = p;
            }
        }
        return best;
    }

    /** Counts, per candidate, the non-zero kernels of {@code w} (3x3, consecutive) it fits best. */
    static void countBestFits(float[] w, long[] counts) {
        for (int off = 0; off + KERNEL <= w.length; off += KERNEL) {
            if (energy(w, off, (1 << KERNEL) - 1) == 0) {
                continue; // an already-removed kernel says nothing about shapes
            }
            counts[CANDIDATES.indexOf(bestCandidate(w, off))]++;
        }
    }

    /** The {@code k} most frequent best fits (ties to the lower mask), from counts over {@link #CANDIDATES}. */
    static PatternLibrary mostFrequent(long[] counts, int k) {
        Integer[] idx = new Integer[CANDIDATES.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> counts[a] != counts[b] ? Long.compare(counts[b], counts[a]) : Integer.compare(a, b));
        int[] lib = new int[Math.min(k, idx.length)];
        for (int i = 0; i < lib.length; i++) {
            lib[i] = CANDIDATES.get(idx[i]);
        }
        return new PatternLibrary(lib);
    }

    /** Chooses a library of {@code k} from the 3x3 kernels of the given weight tensors. */
    public static PatternLibrary select(List<float[]> weights, int k) {
        long[] counts = new long[CANDIDATES.size()];
        for (float[] w : weights) {
            countBestFits(w, counts);
        }
        return mostFrequent(counts, k);
    }

    /** Metadata form: comma-separated masks. */
    public String encode() {
        StringBuilder sb = new StringBuilder();
        for (int p : patterns) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(p);
        }
        return sb.toString();
    }

    public static PatternLibrary decode(String s) {
        return new PatternLibrary(Arrays.stream(s.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray());
    }

    /** 3x3 picture of a pattern, e.g. {@code .X./XX./..X} — for notes and logs. */
    public static String draw(int pattern) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < KERNEL; i++) {
            if (i > 0 && i % 3 == 0) {
                sb.append('/');
            }
            sb.append((pattern & (1 << i)) != 0 ? 'X' : '.');
        }
        return sb.toString();
    }
}
