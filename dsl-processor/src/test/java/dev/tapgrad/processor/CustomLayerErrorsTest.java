package dev.tapgrad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §2 row 12: a {@code @CustomLayer} class without a {@code call} method or with two, a
 * {@code call} that takes what a layer cannot, an unknown symbol in {@code @Weight.shape}, a body
 * that cannot be differentiated or typed, an output shape that is no layer output; and at the use
 * site, {@code call}'s inputs against {@code @Layer(inputs)} and inputs whose shapes the body
 * cannot take. Each error is on the element, value or expression, by file and line.
 */
class CustomLayerErrorsTest {
    @Test
    void modeBranchesOfDifferentShapes() {
        Negative.compile("CustomModeBranchShapes", 1).errorOn(13, "[Tapgrad/BodyShape] training ? a : b: the branches must have"
                + " the same shape, so that the layer's output does not depend on the mode; the training branch is (B, input),"
                + " the inference branch (B, 1)");
    }

    @Test
    void modeOutsideAConditional() {
        Negative.compile("CustomModeOutsideConditional", 1).errorAt(13, 34, "[Tapgrad/NotDifferentiable] training can only be"
                + " the condition of a conditional expression in a layer body: write training ? a : b");
    }

    @Test
    void noCallMethod() {
        Negative.compile("CustomNoCall", 1).errorOn(9, "[Tapgrad/CustomLayer] @CustomLayer CustomNoCall has no call method:"
                + " declare its forward body as Tensor call(Tensor x) { ... }");
    }

    @Test
    void twoCallMethods() {
        Negative.compile("CustomTwoCalls", 1).errorOn(12, "[Tapgrad/CustomLayer] @CustomLayer CustomTwoCalls declares call more"
                + " than once: a layer has one forward body");
    }

    @Test
    void callWithAParameterThatIsNoInput() {
        Negative.compile("CustomBadCall", 1).errorOn(10, "[Tapgrad/CustomLayer] call of @CustomLayer CustomBadCall takes int times:"
                + " its parameters are Tensors, optionally followed by boolean training");
    }

    @Test
    void abstractMethodBesidesCall() {
        Negative.compile("CustomAbstractMethod", 1).errorOn(12, "[Tapgrad/CustomLayer] @CustomLayer CustomAbstractMethod declares"
                + " abstract method temperature(): Tapgrad's subclass implements nothing but the layer");
    }

    @Test
    void unknownWeightSymbol() {
        Negative.compile("CustomUnknownSymbol", 1).errorAt(10, 22, "[Tapgrad/CustomLayer] @Weight kernel of CustomUnknownSymbol:"
                + " shape entry \"inputs\" is neither a positive integer nor a symbol; symbols: input, units, filters"
                + " (did you mean input?)");
    }

    @Test
    void bodyThatCannotBeDifferentiated() {
        Negative.compile("CustomLoop", 1).errorOn(14, "[Tapgrad/NotDifferentiable]").alsoSays("a loop");
    }

    @Test
    void outputWithoutTheBatchAxis() {
        Negative.compile("CustomScalarOutput", 1).errorOn(12, "[Tapgrad/CustomLayer] the output shape of @CustomLayer"
                + " CustomScalarOutput cannot be inferred from its body: it returns (), but a layer's output must have the batch"
                + " axis first, and only there");
    }

    @Test
    void weightThatDoesNotFitTheBody() {
        Negative.compile("CustomWeightMismatch", 1).errorOn(12, "[Tapgrad/BodyShape] matmul((B, input), (units, units))");
    }

    @Test
    void callInputsAgainstLayerInputs() {
        var file = Compile.resource("bad/CustomArity.java");
        Compilation c = Compile.compile(file);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("[Tapgrad/CustomLayer] Join join: call takes 2 inputs (left, right) but the layer is"
                + " given 3; name 2 layers in @Layer(inputs = {...})").inFile(file).onLine(14);
    }

    @Test
    void inputShapesTheBodyCannotTake() {
        var file = Compile.resource("bad/CustomInputShapes.java");
        Compilation c = Compile.compile(file);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadWarningCount(0);
        assertThat(c).hadErrorContaining("[Tapgrad/LayerShape] Sum mismatch: its call body does not fit the inputs a (B, 3),"
                + " d (B, 4): add((B, 3), (B, 4))").inFile(file).onLine(13);
        // the layer class itself is fine, so its runtime layer is generated; the model's graph is not
        com.google.common.truth.Truth.assertThat(Compile.generatedSources(c)).containsExactly("/SOURCE_OUTPUT/bad/SumLayer.java");
    }

    @Test
    void layerNamedLikeACustomLayersRuntimeField() {
        var file = Compile.resource("bad/CustomLayerNameClash.java");
        Compilation c = Compile.compile(file);
        assertThat(c).failed();
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("[Tapgrad/Wiring] a layer may not be named twiceLayer: the generated code names custom"
                + " layer twice's runtime layer twiceLayer; rename the field").inFile(file).onLine(12);
    }
}
