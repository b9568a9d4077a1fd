package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 3: what a user naturally writes in a body. good/consts/ConstantModel reads
 * {@code Math.PI}, a statically imported {@code Math.E}, its own {@code static final int} axis,
 * constants of another class ({@code Consts.LAST}, {@code Consts.KEEP}) and calls static helpers of
 * another file ({@code Helpers}, with their own imports and a private constant) and of a nested
 * class; good/consts/LiteralModel is the same model written with literals only. With the same seed
 * both must give the same loss terms and gradients, bit for bit: the constants mean what they say and
 * the helpers are differentiated through. The bad sources pin each hint to its file and line.
 */
class BodyHelpersAndConstantsTest {
    private static final List<String> PARAMS = List.of("hidden.kernel", "hidden.bias", "out.kernel", "out.bias");

    private static Compilation good() {
        return Compile.compile(Compile.resource("good/consts/ConstantModel.java"), Compile.resource("good/consts/LiteralModel.java"),
                Compile.resource("good/consts/Consts.java"), Compile.resource("good/consts/Helpers.java"));
    }

    @Test
    void constantsAndHelpersCompileToTheirNamesAndValues() {
        Compilation c = good();
        assertThat(c).succeededWithoutWarnings();
        String graph = source(c, "consts.ConstantModelGraph");
        assertThat(graph).contains("Reductions.max(hidden, FEATURES, true)");
        assertThat(graph).contains("Arithmetic.scale((Math.PI / 4), ");
        assertThat(graph).contains("Reductions.max(hidden, consts.Consts.LAST, true)");
        assertThat(graph).contains("Arithmetic.scale(Math.E, ");
        assertThat(graph).contains("ElementwiseMath.pow(hidden, 2.0)"); // Helpers' private TWO, by value
        assertThat(graph).contains("Arithmetic.scale(consts.Consts.HALF, ");
        assertThat(graph).contains("Activations.sigmoid(");
    }

    @Test
    void theSameModelWithLiteralsGivesTheSameTermsAndGradients() throws Exception {
        Compilation c = good();
        GeneratedClasses classes = new GeneratedClasses(c);
        TrainableModel constants = (TrainableModel) classes.loadClass("consts.ConstantModelGraph")
                .getConstructor(long.class).newInstance(9L);
        TrainableModel literals = (TrainableModel) classes.loadClass("consts.LiteralModelGraph")
                .getConstructor(long.class).newInstance(9L);
        Random random = new Random(4);
        Tensor x = Tensor.randn(random, 5, 6);
        Tensor y = Tensor.randn(random, 5, 1);
        Gradients a = constants.gradients(x, y);
        Gradients b = literals.gradients(x, y);
        assertEquals(b.terms(), a.terms());
        assertThat(a.terms().get("constants")).isNotEqualTo(0.0);
        for (String p : PARAMS) {
            assertArrayEquals(b.get(p).toArray(), a.get(p).toArray(), p);
        }
    }

    @Test
    void anErrorInAHelperOfAnotherFileIsReportedInThatFile() {
        JavaFileObject model = Compile.resource("bad/HelperInOtherFile.java");
        JavaFileObject helper = Compile.resource("bad/helpers/Looping.java");
        Compilation c = Compile.compile(model, helper);
        assertThat(c).hadErrorCount(1);
        // for (int i = 0; i < 2; i++) { -- line 13 of Looping.java, column 9 is the for
        assertThat(c).hadErrorContaining("[Tapgrad/NotDifferentiable] a loop cannot be differentiated at compile time")
                .inFile(helper).onLine(13).atColumn(9);
    }

    @Test
    void anOpCalledWithoutTheImportNamesTheImport() {
        // ... Ops.mean(relu(hidden)); -- column 75 is the '(' of relu(...)
        Negative.compile("OpNotImported", 1).errorAt(15, 75, "[Tapgrad/NotDifferentiable] cannot find method relu:"
                + " it is an op of dev.tapgrad.runtime.Ops; add import static dev.tapgrad.runtime.Ops.*;");
    }

    @Test
    void anUnknownCallSuggestsTheClosestOp() {
        Negative.compile("UnknownCallTypo", 1).errorAt(16, 55, "[Tapgrad/NotDifferentiable] cannot find method sigmoidd"
                + " (did you mean sigmoid?)").alsoSays("static helpers of this compilation");
    }

    @Test
    void aHelperMustReturnATensor() {
        Negative.compile("HelperReturnsDouble", 1).errorAt(16, 66, "[Tapgrad/NotDifferentiable] call to Weights.of"
                + " (bad.Weights) has no derivative rule: it returns double, and a helper a body calls must return a Tensor");
    }

    @Test
    void anInstanceFieldOfAnotherClassAsksForAConstant() {
        Negative.compile("InstanceFieldOfOther", 1).errorAt(16, 64, "[Tapgrad/NotDifferentiable] field factor of"
                + " bad.Settings is an instance field; a body reads the model's fields and constants (static final) of"
                + " other classes: make it static final");
    }

    @Test
    void aPrivateFieldWithoutAConstantValueCannotBeRead() {
        Negative.compile("PrivateNotConstant", 1).errorAt(18, 56, "[Tapgrad/NotDifferentiable] field factor of"
                + " bad.PrivateNotConstant is private and not a compile-time constant");
    }

    private static String source(Compilation c, String name) {
        try {
            return c.generatedSourceFile(name).orElseThrow().getCharContent(true).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
