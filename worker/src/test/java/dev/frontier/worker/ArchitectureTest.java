package dev.frontier.worker;

import java.util.stream.Stream;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The worker's layering (DESIGN.md, Parts): the engine's packages in pipeline order, the IR at the
 * bottom, and a backward import fails the build. A class may use its own layer and the ones below
 * it, and no two packages may reach each other in a cycle.
 */
@AnalyzeClasses(packages = "dev.frontier.worker", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String[] ENTRY_POINTS = packages("cli", "demo");
    /** The lease loop a device runs, and the offline benchmarks (which may use DJL and ONNX Runtime). */
    private static final String[] PROCESSES = packages("agent", "bench");
    /** The one build pipeline (compress, recover, fine-tune, calibrate, compile) the agent and the CLI share. */
    private static final String[] BUILD = packages("build");
    /** What runs or describes a compiled model: runtimes, ONNX import/export and ORT, model profiles. */
    private static final String[] RUNTIMES = packages("runtime", "onnx", "profile");
    /** Latency protocol and accuracy evaluation of compiled models, JVM or native. */
    private static final String[] MEASURE = packages("measure");
    private static final String[] COMPILE = packages("compile");
    /** IR -> compressed IR, and the DJL training bridge. */
    private static final String[] TRANSFORM = packages("compress", "train");
    private static final String[] DATA = packages("data");
    /** The graph IR everything else speaks. */
    private static final String[] IR = packages("model");
    /** The documents exchanged with the coordinator, generated from openapi.yaml: any layer may speak them. */
    private static final String[] CONTRACT = packages("contract");

    private static String[] packages(String... names) {
        return Stream.of(names).map(n -> "dev.frontier.worker." + n + "..").toArray(String[]::new);
    }

    @ArchTest
    static final ArchRule layersOnlyUseTheLayersBelow = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("entry points").definedBy(ENTRY_POINTS)
            .layer("processes").definedBy(PROCESSES)
            .layer("build").definedBy(BUILD)
            .layer("runtimes").definedBy(RUNTIMES)
            .layer("measure").definedBy(MEASURE)
            .layer("compile").definedBy(COMPILE)
            .layer("transform").definedBy(TRANSFORM)
            .layer("data").definedBy(DATA)
            .layer("ir").definedBy(IR)
            .layer("contract").definedBy(CONTRACT)
            .whereLayer("entry points").mayNotBeAccessedByAnyLayer()
            .whereLayer("processes").mayOnlyBeAccessedByLayers("entry points")
            .whereLayer("build").mayOnlyBeAccessedByLayers("entry points", "processes")
            .whereLayer("runtimes").mayOnlyBeAccessedByLayers("entry points", "processes", "build")
            .whereLayer("measure").mayOnlyBeAccessedByLayers("entry points", "processes", "build", "runtimes")
            .whereLayer("compile").mayOnlyBeAccessedByLayers("entry points", "processes", "build", "runtimes", "measure")
            .whereLayer("transform").mayOnlyBeAccessedByLayers("entry points", "processes", "build", "runtimes", "measure", "compile")
            .whereLayer("data").mayOnlyBeAccessedByLayers("entry points", "processes", "build", "runtimes", "measure", "compile",
                    "transform");

    @ArchTest
    static final ArchRule packagesHaveNoCycles = slices().matching("dev.frontier.worker.(*)..").should().beFreeOfCycles();

    /** Without this a new package would be in no layer, and the layer rule would not look at it. */
    @ArchTest
    static final ArchRule everyPackageIsInALayer = classes().should().resideInAnyPackage(Stream.of(
                    new String[] {"dev.frontier.worker"}, ENTRY_POINTS, PROCESSES, BUILD, RUNTIMES, MEASURE, COMPILE, TRANSFORM, DATA, IR, CONTRACT)
            .flatMap(Stream::of).toArray(String[]::new));

    /** The compiler lowers whatever graph it is given; what compression wrote it reads from the IR (metadata keys). */
    @ArchTest
    static final ArchRule compilerDoesNotKnowTheCompressor = noClasses().that().resideInAPackage("dev.frontier.worker.compile..")
            .should().dependOnClassesThat().resideInAnyPackage(packages("compress", "train"));

    @ArchTest
    static final ArchRule onlyTrainingAndBenchmarksLoadDjl = noClasses().that().resideOutsideOfPackages(packages("train", "bench"))
            .should().dependOnClassesThat().resideInAPackage("ai.djl..")
            .because("a device measures the compiled model; DJL is the training bridge's and the offline benchmarks'");

    @ArchTest
    static final ArchRule onlyOnnxTalksToOnnxRuntime = noClasses().that().resideOutsideOfPackage("dev.frontier.worker.onnx..")
            .should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
            .because("ONNX Runtime is one runtime behind onnx/, not a dependency of the engine");
}
