package dev.frontier.coordinator.search;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/** Builds a job's strategy. The generator is seeded from the job seed and how far the job got, so
 * a restarted coordinator continues the same sequence instead of replaying it. */
public final class Strategies {
    private Strategies() {
    }

    public static SearchStrategy create(String name, long seed, int proposedSoFar) {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed * 1_000_003L + proposedSoFar);
        return switch (name) {
            case "random" -> new RandomStrategy(random);
            default -> throw new IllegalArgumentException("unknown strategy " + name);
        };
    }
}
