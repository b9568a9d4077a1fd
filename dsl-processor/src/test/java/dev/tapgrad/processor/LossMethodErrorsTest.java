package dev.tapgrad.processor;

import org.junit.jupiter.api.Test;

/** DESIGN §2 rows 2 and 9 for {@code @Loss} methods: how their parameters bind, one main loss. */
class LossMethodErrorsTest {
    @Test
    void parameterAfterLabelsAndPredictionsNeedsATap() {
        // Tensor loss(Tensor yTrue, Tensor yPred, Tensor act) -- column 52 is the name act
        Negative.compile("LossParamWithoutTap", 1)
                .errorAt(19, 52, "[Tapgrad/LossSignature] parameter act of loss has no @Tap")
                .alsoSays("@Tap(\"hidden\") Tensor act");
    }

    @Test
    void builtInLossAndLossMethodTogetherAreRejected() {
        // @Model(input = {784}, loss = MSE) -- column 30 is the value MSE
        Negative.compile("BothLosses", 1)
                .errorAt(13, 30, "[Tapgrad/LossOutput] BothLosses declares both @Model(loss = MSE) and the @Loss method loss")
                .alsoSays("keep one main loss");
    }
}
