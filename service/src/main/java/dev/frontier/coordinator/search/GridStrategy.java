package dev.frontier.coordinator.search;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Every point of the grid once, in a seeded order: index k visits {@code (a*k + b) mod N} with
 * {@code a} coprime to N, a permutation that spreads early trials over the whole grid instead of
 * sweeping the last layer first. Meant for small spaces; on a space too large to index it samples.
 */
public class GridStrategy extends LearningStrategy {
    private final long stride;
    private final long offset;

    public GridStrategy(RandomGenerator random) {
        super(random);
        this.stride = random.nextLong(1, Long.MAX_VALUE >> 2);
        this.offset = random.nextLong(0, Long.MAX_VALUE >> 2);
    }

    @Override
    public List<Proposal> propose(SearchHistory history, int n) {
        Encoding enc = new Encoding(history.space());
        Set<String> taken = new HashSet<>(proposedKeys(enc, history));
        long size = enc.size();
        List<Proposal> out = new ArrayList<>();
        if (size < 0) {
            for (int i = 0; i < n; i++) {
                int[] g = freshRandom(enc, taken);
                if (g == null) break;
                taken.add(Encoding.key(g));
                out.add(proposal(enc, g, history));
            }
            return out;
        }
        long a = coprimeStride(size);
        long b = Math.floorMod(offset, size);
        // visited points are skipped, so the walk restarts from 0 after a coordinator restart at no cost
        for (long k = 0; k < size && out.size() < n; k++) {
            long index = (long) ((java.math.BigInteger.valueOf(a).multiply(java.math.BigInteger.valueOf(k))
                    .add(java.math.BigInteger.valueOf(b))).mod(java.math.BigInteger.valueOf(size)).longValue());
            int[] g = enc.fromIndex(index);
            if (taken.add(Encoding.key(g))) out.add(proposal(enc, g, history));
        }
        return out;
    }

    private long coprimeStride(long size) {
        if (size <= 2) return 1;
        long a = Math.floorMod(stride, size);
        while (a == 0 || gcd(a, size) != 1) a = (a + 1) % size;
        return a;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
