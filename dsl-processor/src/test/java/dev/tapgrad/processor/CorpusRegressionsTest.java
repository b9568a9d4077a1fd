package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * Models that {@link MutationCorpusTest} found to break the processor, each pinned with the
 * diagnostic it gets now. Before the fixes the first four ended in a {@code [Tapgrad/Internal]}
 * error or with nothing at all, and the last two in javac errors inside the generated code.
 */
class CorpusRegressionsTest {
    @Test
    void varLocalsInLossBodiesCompile() {
        // javac leaves a var local's type out of the tree until attribution: BodyReader threw a NullPointerException.
        Compilation c = Compile.compile(Compile.resource("good/VarLocals.java"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(Compile.generatedSources(c)).containsExactly("/SOURCE_OUTPUT/demo/VarLocalsGraph.java");
    }

    @Test
    void varLocalHoldingANumberIsReportedOnItsValue() {
        // var rate = 0.5; -- column 20 is the 0.5
        Negative.compile("VarNumberLocal", 1).errorAt(21, 20,
                "[Tapgrad/NotDifferentiable] 0.5 is a number where a Tensor is needed: wrap it with an op, e.g. scale(0.5, x)");
    }

    @Test
    void unresolvedAttributeValueIsLeftToJavac() {
        // @Layer(units = UNITS, ...) with no UNITS: the value reached the reader as javac's error placeholder, a String,
        // and the cast to Integer threw. Now the value counts as not written, next to javac's own error.
        Negative.compile("UnresolvedAttribute", 2)
                .errorAt(17, 20, "cannot find symbol")
                .errorAt(17, 55, "[Tapgrad/LayerAttribute] Dense out needs units, e.g. @Layer(units = 64)");
    }

    @Test
    void classNamedLikeTheGeneratedOneIsReportedOnThatClass() {
        // The Filer refused to create GraphNameTakenGraph again (FilerException, an internal error).
        Negative.compile("GraphNameTaken", 1).errorAt(24, 1, "[Tapgrad/ModelForm] class GraphNameTakenGraph is already"
                + " declared, but Tapgrad generates GraphNameTakenGraph from the model GraphNameTaken: rename this class (or"
                + " the model)");
    }

    @Test
    void nativeAuxMethodIsAnErrorNotASilentSkip() {
        // Before: no diagnostic and no NativeAuxGraph, like an abstract aux method before it was reported.
        Negative.compile("NativeAux", 1).errorAt(20, 19, "[Tapgrad/LossSignature] sparsity has no body: an @AuxLoss method"
                + " computes the loss from its taps, e.g. { return mean(abs(x)); }");
    }

    @Test
    void abstractMethodsTheGraphCannotImplement() {
        // abstract class AbstractMethod implements Runnable { ... abstract void reset(); }
        Negative.compile("AbstractMethod", 2)
                .errorAt(14, 10, "[Tapgrad/ModelForm] run() is abstract (declared in java.lang.Runnable) and the"
                        + " generated AbstractMethodGraph does not implement it: give it a body in AbstractMethod, or remove it")
                .errorAt(22, 19, "[Tapgrad/ModelForm] reset() is abstract (declared in bad.AbstractMethod)");
    }

    @Test
    void constructorThrowingACheckedException() {
        Negative.compile("ConstructorThrows", 1).errorAt(22, 5, "[Tapgrad/ModelForm] ConstructorThrows() throws"
                + " java.io.IOException, which the generated ConstructorThrowsGraph's constructor does not declare: catch it"
                + " inside ConstructorThrows()");
    }
}
