package dev.frontier.coordinator;

import java.util.stream.Stream;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import jakarta.persistence.Entity;
import org.springframework.data.repository.Repository;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The coordinator's layering (DESIGN.md, Conventions): packages by feature, and a backward import
 * fails the build. The features sit in four layers, top to bottom; a class may use its own layer
 * and the ones below it, and no two packages may reach each other in a cycle.
 */
@AnalyzeClasses(packages = "dev.frontier.coordinator", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** What a user or a pipeline asks for, carried out over the features: a search job, a CI gate. */
    private static final String[] USE_CASES = packages("job", "gate");
    /** Each owns its tables and endpoints. */
    private static final String[] FEATURES = packages("frontier", "trial", "lease", "worker", "model", "dataset", "device",
            "access", "artifact");
    /** Pure rules: ask/tell strategies, the job's goal, Pareto math. No storage, no framework. */
    private static final String[] PURE_RULES = packages("search", "goal", "pareto");
    /** Shared plumbing, and the DTOs and interfaces generated from openapi.yaml. */
    private static final String[] INFRASTRUCTURE = packages("system", "api");

    private static String[] packages(String... names) {
        return Stream.of(names).map(n -> "dev.frontier.coordinator." + n + "..").toArray(String[]::new);
    }

    private static String[] concat(String[]... groups) {
        return Stream.of(groups).flatMap(Stream::of).toArray(String[]::new);
    }

    @ArchTest
    static final ArchRule layersOnlyUseTheLayersBelow = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("use cases").definedBy(USE_CASES)
            .layer("features").definedBy(FEATURES)
            .layer("pure rules").definedBy(PURE_RULES)
            .layer("infrastructure").definedBy(INFRASTRUCTURE)
            .whereLayer("use cases").mayNotBeAccessedByAnyLayer()
            .whereLayer("features").mayOnlyBeAccessedByLayers("use cases")
            .whereLayer("pure rules").mayOnlyBeAccessedByLayers("use cases", "features")
            .whereLayer("infrastructure").mayOnlyBeAccessedByLayers("use cases", "features", "pure rules");

    @ArchTest
    static final ArchRule packagesHaveNoCycles = slices().matching("dev.frontier.coordinator.(*)..").should().beFreeOfCycles();

    /** Without this a new package would be in no layer, and the layer rule would not look at it. */
    @ArchTest
    static final ArchRule everyPackageIsInALayer = classes().should()
            .resideInAnyPackage(concat(new String[] {"dev.frontier.coordinator"}, USE_CASES, FEATURES, PURE_RULES, INFRASTRUCTURE));

    @ArchTest
    static final ArchRule pureRulesTouchNoStorageOrFramework = classes().that().resideInAnyPackage(PURE_RULES)
            .should().onlyDependOnClassesThat().resideInAnyPackage(concat(new String[] {"java..", "dev.frontier.coordinator.api.model.."},
                    PURE_RULES))
            .because("strategies are ask/tell and never touch storage; Pareto math is pure functions (DESIGN.md)");

    @ArchTest
    static final ArchRule controllersNeverSeeEntities = noClasses().that().areAnnotatedWith(RestController.class)
            .should().dependOnClassesThat().areAnnotatedWith(Entity.class)
            .orShould().dependOnClassesThat().areAssignableTo(Repository.class)
            .because("entities never leave the service layer: controllers speak the DTOs generated from openapi.yaml (DESIGN.md)");

    @ArchTest
    static final ArchRule problemsComeFromOneAdvice = classes().that().areAnnotatedWith(RestControllerAdvice.class)
            .should().resideInAPackage("dev.frontier.coordinator.system")
            .because("one @RestControllerAdvice returns ProblemDetail (DESIGN.md)");
}
