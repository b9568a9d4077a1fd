package dev.tapgrad.runtime.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages are layered (DESIGN.md §3): the subpackages depend on each other without a
 * cycle, the kernels know nothing of tensors, and nothing but generated code's support reaches up
 * into {@code .internal}. The public root package is used by every layer (it holds {@code Tensor});
 * it reaches down only through its entry points, the {@code Ops} facade, {@code Fit}'s
 * optimizer, and {@code History.plot}, which hands the drawing to {@code train}.
 */
class PackageLayeringTest {
    private static JavaClasses runtime;

    @BeforeAll
    static void importRuntime() {
        runtime = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.tapgrad.runtime");
    }

    @Test
    void subpackagesAreFreeOfCycles() {
        // "(**)" captures a whole subpackage name (kernel.gemm, internal.tensor, ...) as one slice;
        // the root package's classes belong to no slice.
        slices().matching("dev.tapgrad.runtime.(**)").should().beFreeOfCycles().check(runtime);
    }

    @Test
    void kernelsDoNotKnowTensors() {
        // float arrays in, float arrays out: a kernel reads no Tensor, layer or op
        noClasses().that().resideInAPackage("dev.tapgrad.runtime.kernel..")
                .should().dependOnClassesThat(resideInAPackage("dev.tapgrad.runtime..")
                        .and(resideOutsideOfPackage("dev.tapgrad.runtime.kernel..")))
                .check(runtime);
    }

    @Test
    void onlyGeneratedCodeSupportUsesTheGraphSupport() {
        noClasses().that().resideOutsideOfPackage("dev.tapgrad.runtime.internal")
                .should().dependOnClassesThat().resideInAPackage("dev.tapgrad.runtime.internal")
                .check(runtime);
    }

    @Test
    void theRootPackageReachesDownOnlyThroughOpsFitAndHistoryPlot() {
        noClasses().that().resideInAPackage("dev.tapgrad.runtime")
                .and().doNotHaveSimpleName("Ops").and().doNotHaveSimpleName("Fit").and().doNotHaveSimpleName("History")
                .should().dependOnClassesThat().resideInAnyPackage("dev.tapgrad.runtime.(**)")
                .check(runtime);
    }
}
