package dev.frontier.worker.compile;

import dev.frontier.worker.bench.VariantMaker;
import dev.frontier.worker.compile.op.Op;
import dev.frontier.worker.model.Graph;
import dev.frontier.worker.model.ReferenceInterpreter;
import dev.frontier.worker.model.Zoo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The compiled executor computes what the reference interpreter computes, on every zoo model. */
class CompiledModelTest {

    static void check(Graph g, String what) {
        float[] x = TestGraphs.input(g, 5);
        float[] expected = new ReferenceInterpreter(g).forward(x);
        Plan plan = FrontierCompiler.compile(g, FrontierCompiler.Options.untuned());
        for (boolean scalar : new boolean[] {false, true}) {
            try (Executor ex = new Executor(plan, 1, scalar)) {
                TestGraphs.assertClose(ex.run(x), expected, 1e-4, what + (scalar ? " scalar" : " vector"));
                // a second call reuses the arenas and must give the same answer
                TestGraphs.assertClose(ex.run(x), expected, 1e-4, what + " second run");
            }
        }
        try (Executor ex = new Executor(plan, 2, false)) {
            TestGraphs.assertClose(ex.run(x), expected, 1e-4, what + " 2 threads");
        }
    }

    @Test
    void everyZooModelDenseMatchesReference() {
        for (String arch : Zoo.ARCHITECTURES) {
            check(TestGraphs.randomize(Zoo.create(arch, 3, 10), 9), arch);
        }
    }

    @Test
    void everyZooModelMaskedMatchesReference() {
        for (String arch : Zoo.ARCHITECTURES) {
            Graph g = TestGraphs.randomize(Zoo.create(arch, 4, 10), 11);
            check(VariantMaker.patternConnectivity(g, 8, 6), arch + " pattern 8x");
            check(VariantMaker.patternConnectivity(g, 2.25, 8), arch + " pattern only");
            check(VariantMaker.blockLinear(g, 4, 16, 0.75), arch + " block");
        }
    }

    @Test
    void maskedVggUsesSparseKernelsAndFewerMacs() {
        Graph g = VariantMaker.patternConnectivity(VariantMaker.blockLinear(Zoo.vgg(1, 10), 4, 16, 0.75), 8, 8);
        Plan plan = FrontierCompiler.compile(g, FrontierCompiler.Options.untuned());
        for (Op op : plan.ops()) {
            if (op.name().startsWith("conv")) {
                assertThat(op.format()).as(op.name()).isEqualTo("pattern");
            }
            if (op.name().startsWith("fc")) {
                assertThat(op.format()).as(op.name()).isEqualTo("block");
            }
        }
        assertThat((double) plan.macs()).isLessThan(Zoo.vgg(1, 10).totalMacs() / 6.0);
    }
}
