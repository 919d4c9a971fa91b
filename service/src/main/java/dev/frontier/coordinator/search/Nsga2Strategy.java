package dev.frontier.coordinator.search;

import dev.frontier.coordinator.goal.Goal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

import dev.frontier.coordinator.pareto.Pareto;

/**
 * Steady-state NSGA-II. The parents are the best {@code populationSize} results so far under
 * constraint domination (latency target, accuracy floor) and crowding distance; children come
 * from binary tournaments, uniform crossover of the per-layer genes and mutation that mostly
 * steps a gene one notch (lighter, heavier, or back to dense) and sometimes jumps anywhere.
 * Until a first population has results, the proposals are random.
 */
public class Nsga2Strategy extends LearningStrategy {
    private static final int MAX_TRIES = 100;

    public Nsga2Strategy(RandomGenerator random) {
        super(random);
    }

    static int populationSize(Encoding enc) {
        return Math.min(24, Math.max(8, 2 * enc.genes()));
    }

    @Override
    public List<Proposal> propose(SearchHistory history, int n) {
        Encoding enc = new Encoding(history.space());
        Set<String> taken = new HashSet<>(proposedKeys(enc, history));
        taken.addAll(failed(enc));
        List<Known> known = new ArrayList<>(known(enc).values());
        int popSize = populationSize(enc);
        List<Known> parents = select(known, history.goal(), popSize);
        List<Proposal> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] child = null;
            if (parents.size() >= Math.min(popSize, 4) && known.size() >= popSize / 2) {
                for (int t = 0; t < MAX_TRIES && child == null; t++) {
                    int[] c = mutate(enc, crossover(tournament(parents), tournament(parents)));
                    if (!taken.contains(Encoding.key(c))) child = c;
                }
            }
            if (child == null) child = freshRandom(enc, taken);
            if (child == null) break;
            taken.add(Encoding.key(child));
            out.add(proposal(enc, child, history));
        }
        return out;
    }

    /** The best results, best first, by rank and crowding under constraint domination. */
    List<Known> select(List<Known> known, Goal goal, int size) {
        double baselineSize = baselineSize();
        List<double[]> points = known.stream().map(k -> Objectives.point(k.result(), goal, baselineSize)).toList();
        double[] violations = known.stream().mapToDouble(k -> Objectives.violation(k.result(), goal)).toArray();
        List<Known> out = new ArrayList<>();
        for (int i : Pareto.crowdedOrder(points, violations)) {
            if (out.size() == size) break;
            out.add(known.get(i));
        }
        return out;
    }

    /** Parents are sorted best first, so the lower index wins a binary tournament. */
    private int[] tournament(List<Known> parents) {
        int a = random.nextInt(parents.size());
        int b = random.nextInt(parents.size());
        return parents.get(Math.min(a, b)).genome();
    }

    private int[] crossover(int[] a, int[] b) {
        int[] c = a.clone();
        for (int i = 0; i < c.length; i++) if (random.nextBoolean()) c[i] = b[i];
        return c;
    }

    private int[] mutate(Encoding enc, int[] g) {
        int[] m = g.clone();
        double p = 1.0 / m.length;
        boolean changed = false;
        for (int i = 0; i < m.length; i++) {
            if (enc.arity(i) < 2 || random.nextDouble() >= p) continue;
            changed |= mutateGene(enc, m, i);
        }
        if (!changed) {
            // always move: a child equal to a parent is wasted
            for (int tries = 0; tries < m.length * 2 && !changed; tries++) {
                int i = random.nextInt(m.length);
                if (enc.arity(i) >= 2) changed = mutateGene(enc, m, i);
            }
        }
        return m;
    }

    private boolean mutateGene(Encoding enc, int[] m, int i) {
        int before = m[i];
        List<Integer> near = enc.neighbours(i, m[i]);
        if (!near.isEmpty() && random.nextDouble() < 0.7) m[i] = near.get(random.nextInt(near.size()));
        else m[i] = random.nextInt(enc.arity(i));
        return m[i] != before;
    }
}
