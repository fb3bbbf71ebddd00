package ai.emadaptive.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph as the architecture describes it, checked on the compiled classes: packages never import each
 * other in a loop, the frame types are a leaf, and the stages (decoding, control, metrics, output) know nothing of
 * the pipeline that composes them.
 */
class PackageGraphTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ai.emadaptive");
    }

    @Test
    void noPackageCycles() {
        slices().matching("ai.emadaptive.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void frameTypesAreALeaf() {
        noClasses()
                .that()
                .resideInAPackage("ai.emadaptive.frame..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "ai.emadaptive.pipeline..",
                        "ai.emadaptive.ingest..",
                        "ai.emadaptive.output..",
                        "ai.emadaptive.metrics..",
                        "ai.emadaptive.control..",
                        "ai.emadaptive.api..",
                        "ai.emadaptive.service..")
                .check(classes);
    }

    @Test
    void stagesDoNotKnowThePipeline() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "ai.emadaptive.ingest..",
                        "ai.emadaptive.control..",
                        "ai.emadaptive.metrics..",
                        "ai.emadaptive.output..",
                        "ai.emadaptive.engine..",
                        "ai.emadaptive.routing..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("ai.emadaptive.pipeline..", "ai.emadaptive.service..", "ai.emadaptive.api..")
                .check(classes);
    }
}
