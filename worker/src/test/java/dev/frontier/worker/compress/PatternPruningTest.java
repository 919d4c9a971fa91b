package dev.frontier.worker.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.Layer;
import dev.frontier.worker.model.Mask;
import dev.frontier.worker.model.Node;
import dev.frontier.worker.model.Tensor;
import dev.frontier.worker.model.Zoo;

class PatternPruningTest {

    @Test
    void thereAre56CandidatesAllWithTheCentre() {
        assertThat(PatternLibrary.CANDIDATES).hasSize(56).allMatch(p -> Integer.bitCount(p) == 4 && (p & 16) != 0);
    }

    @Test
    void everyKeptKernelKeepsFourOfNineInALibraryPatternSharedAcrossTheModel() {
        Graph g = Zoo.vgg(3, 10);
        Graph c = Compressor.compress(g, "{\"default\": {\"prune\": {\"scheme\": \"pattern\", \"patterns\": 6}}}").graph();
        Set<Integer> union = new HashSet<>();
        for (Node n : threeByThree(c)) {
            PatternLibrary lib = PatternLibrary.decode(c.metadata().get(PatternPruning.LIBRARY_KEY + n.name()));
            assertThat(lib.size()).isLessThanOrEqualTo(6);
            Mask m = c.mask(n.weightName());
            float[] w = c.param(n.weightName()).data();
            float[] orig = g.param(n.weightName()).data();
            for (int off = 0; off < m.size(); off += 9) {
                int pattern = patternAt(m, off);
                assertThat(Integer.bitCount(pattern)).as("kept per kernel").isEqualTo(4);
                assertThat(pattern & (1 << PatternLibrary.CENTRE)).as("centre kept").isNotZero();
                assertThat(lib.contains(pattern)).isTrue();
                // projected onto the library pattern that keeps the most energy
                double kept = PatternLibrary.energy(orig, off, pattern);
                for (int p : lib.patterns()) {
                    assertThat(PatternLibrary.energy(orig, off, p)).isLessThanOrEqualTo(kept);
                }
                for (int i = 0; i < 9; i++) {
                    assertThat(w[off + i]).isEqualTo(m.kept(off + i) ? orig[off + i] : 0f);
                }
            }
            union.add(lib.encode().hashCode());
        }
        assertThat(union).as("one library for the model").hasSize(1);
        // the 1x1-free VGG: every 3x3 weight was reduced 9/4
        long weights = threeByThree(c).stream().mapToLong(n -> c.param(n.weightName()).size()).sum();
        long kept = threeByThree(c).stream().mapToLong(n -> c.mask(n.weightName()).keptCount()).sum();
        assertThat((double) weights / kept).isEqualTo(9.0 / 4);
        assertThat(c.param("fc1.weight")).isEqualTo(g.param("fc1.weight"));
    }

    @Test
    void theLibraryIsTheMostFrequentBestFits() {
        // 10 kernels whose best fit is A, 5 of B, 1 of C: a library of... at most k, most frequent first
        int a = PatternLibrary.CANDIDATES.get(7);
        int b = PatternLibrary.CANDIDATES.get(30);
        int cc = PatternLibrary.CANDIDATES.get(50);
        List<Integer> shapes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            shapes.add(a);
        }
        for (int i = 0; i < 5; i++) {
            shapes.add(b);
        }
        shapes.add(cc);
        float[] w = new float[shapes.size() * 9];
        for (int k = 0; k < shapes.size(); k++) {
            for (int i = 0; i < 9; i++) {
                w[k * 9 + i] = (shapes.get(k) & (1 << i)) != 0 ? 1f + i * 0.01f : 0.1f;
            }
        }
        PatternLibrary lib = PatternLibrary.select(List.of(w), 4);
        assertThat(lib.patterns()[0]).isEqualTo(a);
        assertThat(lib.patterns()[1]).isEqualTo(b);
        assertThat(lib.patterns()[2]).isEqualTo(cc);
        assertThat(lib.size()).isEqualTo(4);
    }

    @Test
    void perLayerLibrariesAndConnectivityOnTop() {
        Graph g = Zoo.vgg(5, 10);
        String cfg = "{\"layers\": {\"conv3\": {\"prune\": {\"scheme\": \"pattern\", \"patterns\": 4,"
                + " \"connectivity\": 0.72, \"library\": \"layer\"}}}}";
        Graph c = Compressor.compress(g, cfg).graph();
        Mask m = c.mask("conv3.weight");
        int kernels = m.size() / 9;
        int removed = 0;
        PatternLibrary lib = PatternLibrary.decode(c.metadata().get("pattern.library.conv3"));
        assertThat(lib.size()).isEqualTo(4);
        for (int off = 0; off < m.size(); off += 9) {
            int p = patternAt(m, off);
            if (p == 0) {
                removed++;
            } else {
                assertThat(lib.contains(p)).isTrue();
            }
        }
        assertThat(removed).isEqualTo(Math.round(0.72 * kernels));
        assertThat(m.keptCount()).isEqualTo((kernels - removed) * 4);
        assertThat(c.mask("conv2.weight")).isNull();
    }

    @Test
    void patternsComposeWithAnExistingMask() {
        Graph g = Zoo.vgg(5, 10);
        Graph first = Compressor.compress(g, "{\"layers\": {\"conv2\": {\"prune\": {\"scheme\": \"connectivity\", \"rate\": 0.5}}}}").graph();
        Graph both = new PatternPruning(null).apply(first, first.node("conv2"), new PruneSpec.Pattern(8, 0, PruneSpec.LibraryScope.LAYER));
        Mask m = both.mask("conv2.weight");
        Mask before = first.mask("conv2.weight");
        for (int i = 0; i < m.size(); i++) {
            if (!before.kept(i)) {
                assertThat(m.kept(i)).isFalse();
            }
        }
        assertThat(m.keptCount()).isEqualTo(before.keptCount() / 9 * 4);
    }

    static int patternAt(Mask m, int off) {
        int p = 0;
        for (int i = 0; i < 9; i++) {
            if (m.kept(off + i)) {
                p |= 1 << i;
            }
        }
        return p;
    }

    static List<Node> threeByThree(Graph g) {
        return g.weightedNodes().stream().filter(n -> n.layer() instanceof Layer.Conv2d c && c.is3x3()).toList();
    }

    static Tensor copyOf(Tensor t) {
        return t.copy();
    }
}
