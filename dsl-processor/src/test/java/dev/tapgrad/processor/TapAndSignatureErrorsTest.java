package dev.tapgrad.processor;

import org.junit.jupiter.api.Test;

/**
 * DESIGN §2 rows 1, 2 and 10: taps that name nothing, aux methods whose signature does not fit
 * their taps, and bad weights. Each bad source is good/SparseCnn.java with one mistake; lines are
 * counted in the source (13 {@code @Model}, 14 the class, 15–17 the layers, 19 {@code @AuxLoss},
 * 20 the aux method) and columns point at the annotation value or the element's name.
 */
class TapAndSignatureErrorsTest {
    @Test
    void unknownLayerTapSuggestsTheClosestLayerAndListsThemAll() {
        Negative.compile("UnknownTap", 1).errorAt(19, 20, "[Tapgrad/UnknownTap] tap \"conv2\" names no layer of UnknownTap;"
                + " layers: conv1, flat, out (did you mean conv1?)");
    }

    @Test
    void unknownParameterTapSuggestsTheDottedName() {
        Negative.compile("UnknownParamTap", 1).errorAt(19, 20, "[Tapgrad/UnknownTap] tap \"conv1.kernal\" names no parameter"
                + " of layer conv1; its parameters: conv1.kernel, conv1.bias (did you mean conv1.kernel?)");
    }

    @Test
    void tapOnFlattenParameterSaysItHasNoWeights() {
        Negative.compile("FlattenParamTap", 1).errorAt(19, 20, "[Tapgrad/UnknownTap] tap \"flat.kernel\" names no parameter"
                + " of layer flat; its parameters: none (flat has no weights; tap its output \"flat\" instead)");
    }

    @Test
    void twoParametersForOneTap() {
        Negative.compile("TapCountMismatch", 1).errorAt(20, 12, "[Tapgrad/LossSignature] sparsity has 2 parameters but 1 tap"
                + " (conv1): declare one Tensor parameter per tap, in tap order");
    }

    @Test
    void parameterThatIsNotATensorIsReportedOnTheParameter() {
        Negative.compile("ParameterNotTensor", 1).errorAt(20, 28, "[Tapgrad/LossSignature] parameter conv1 of sparsity has"
                + " type double; a tapped value is a Tensor: declare it as Tensor conv1");
    }

    @Test
    void returnTypeThatIsNotATensorIsTheOnlyError() {
        // The body ends in .item(), which is not differentiable either; one clear error is enough.
        Negative.compile("ReturnNotTensor", 1).errorAt(20, 12, "[Tapgrad/LossSignature] sparsity returns double; a loss"
                + " returns a scalar Tensor, e.g. return mean(abs(x));");
    }

    @Test
    void abstractAuxMethodIsAnErrorNotASilentSkip() {
        Negative.compile("AbstractAux", 1)
                .errorAt(20, 21, "[Tapgrad/LossSignature] sparsity has no body: an @AuxLoss method computes the loss")
                .alsoSays("e.g. { return mean(abs(x)); }");
    }

    @Test
    void privateAuxMethod() {
        Negative.compile("PrivateAux", 1).errorAt(20, 20, "[Tapgrad/LossSignature] sparsity is private, so the generated"
                + " subclass cannot call it for evaluation: make it package-private");
    }

    private static final String WEIGHT_RULE = " on sparsity must be finite and greater than 0";
    private static final String WEIGHT_FIX = "to switch the term off, remove @AuxLoss";

    @Test
    void zeroWeight() {
        Negative.compile("WeightZero", 1).errorAt(19, 38, "[Tapgrad/LossWeight] weight = 0.0" + WEIGHT_RULE).alsoSays(WEIGHT_FIX);
    }

    @Test
    void negativeWeight() {
        Negative.compile("WeightNegative", 1).errorAt(19, 38, "[Tapgrad/LossWeight] weight = -1.0" + WEIGHT_RULE)
                .alsoSays(WEIGHT_FIX);
    }

    @Test
    void nanWeight() {
        // Column 44 is the '.' of Double.NaN, where javac places a member select.
        Negative.compile("WeightNaN", 1).errorAt(19, 44, "[Tapgrad/LossWeight] weight = NaN" + WEIGHT_RULE).alsoSays(WEIGHT_FIX);
    }

    @Test
    void infiniteWeight() {
        Negative.compile("WeightInfinite", 1).errorAt(19, 44, "[Tapgrad/LossWeight] weight = Infinity" + WEIGHT_RULE)
                .alsoSays(WEIGHT_FIX);
    }

    @Test
    void parametersInSwappedTapOrderAreErrors() {
        // Tensor both(Tensor out, Tensor conv1) with tap = {"conv1", "out"}: out at column 24, conv1 at 36
        Negative.compile("SwappedTaps", 2)
                .errorAt(20, 24, "[Tapgrad/LossSignature] parameter out of both receives tap \"conv1\" (taps bind to"
                        + " parameters in order, this is parameter 1), but out is another of its taps")
                .errorAt(20, 36, "[Tapgrad/LossSignature] parameter conv1 of both receives tap \"out\"");
    }
}
