package dev.tapgrad.processor;

import org.junit.jupiter.api.Test;

/**
 * DESIGN §2 rows 4, 6 and 9: layers that cannot take their input, attribute misuse, field types
 * that are no layer, and a main loss that does not fit the model. Lines as in good/SparseCnn.java:
 * 13 {@code @Model}, 14 the class, 15 conv1, 16 flat, 17 out.
 */
class LayerErrorsTest {
    @Test
    void denseRightAfterConvAsksForAFlattenWithBothShapes() {
        // DenseAfterConv has no flat, so out is on line 16.
        Negative.compile("DenseAfterConv", 1).errorAt(16, 52, "[Tapgrad/LayerShape] Dense out needs (batch, features) or"
                + " (batch, steps, features), but conv1 gives (B, 26, 26, 32): add a Flatten before out");
    }

    @Test
    void filtersOnDenseListsWhatDenseAccepts() {
        Negative.compile("FiltersOnDense", 1).errorAt(17, 34, "[Tapgrad/LayerAttribute] @Layer attribute filters does not"
                + " apply to Dense out; Dense accepts: activation, units");
    }

    @Test
    void denseWithoutUnits() {
        Negative.compile("DenseWithoutUnits", 1)
                .errorAt(17, 40, "[Tapgrad/LayerAttribute] Dense out needs units, e.g. @Layer(units = 64)");
    }

    @Test
    void zeroKernelIsReportedOnTheValue() {
        Negative.compile("KernelZero", 1).errorAt(15, 35, "[Tapgrad/LayerAttribute] kernel = 0 on layer conv1 is invalid:"
                + " every value must be at least 1");
    }

    @Test
    void kernelLargerThanTheInput() {
        Negative.compile("KernelTooLarge", 1).errorAt(15, 35, "[Tapgrad/LayerShape] Conv2D conv1 needs an input at least as"
                + " large as its 30x30 kernel, but the input gives (B, 28, 28, 1): use a smaller kernel or padding = SAME");
    }

    @Test
    void fieldWhoseTypeIsNoLayer() {
        Negative.compile("NotALayer", 1).errorAt(18, 19, "[Tapgrad/UnknownLayer] field label has type java.lang.String,"
                + " which is not a Tapgrad layer; use one of Dense, Conv2D, Flatten, Lstm, Add, Concatenate, MaxPool2D, AvgPool2D,"
                + " GlobalAvgPool2D, GlobalMaxPool2D, GlobalAvgPool1D, GlobalMaxPool1D, Conv1D, Reshape,"
                + " Embedding, Gru, Dropout, BatchNorm, LayerNorm from dev.tapgrad.runtime.layers, or write your own: an abstract"
                + " class annotated @CustomLayer with a Tensor call(Tensor x) body");
    }

    @Test
    void crossentropyOnAnOutputWithoutSoftmaxIsReportedOnTheLoss() {
        Negative.compile("CrossentropyWithoutSoftmax", 1).errorAt(13, 36, "[Tapgrad/LossOutput] categorical_crossentropy"
                + " needs probabilities, but the output layer out has activation RELU: use activation = SOFTMAX on out");
    }

    @Test
    void modelWithoutMainLoss() {
        Negative.compile("NoLoss", 1).errorAt(14, 10, "[Tapgrad/LossOutput] NoLoss has no main loss:"
                + " set @Model(loss = CATEGORICAL_CROSSENTROPY or MSE)");
    }
}
