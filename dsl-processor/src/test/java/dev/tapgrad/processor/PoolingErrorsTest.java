package dev.tapgrad.processor;

import org.junit.jupiter.api.Test;

/**
 * DESIGN §2 row 11 for the poolings, Conv1D and Reshape: a pool larger than its input, a Reshape
 * whose size differs from its input's, and misuse (a zero pool, a pair where one length goes, an
 * input of the wrong rank), and a Conv1D kernel longer than its sequence.
 */
class PoolingErrorsTest {
    @Test
    void poolLargerThanItsInput() {
        Negative.compile("PoolTooLarge", 1).errorAt(16, 19, "[Tapgrad/LayerShape] MaxPool2D pool1 needs an input at least as large as its 30x30 pool,"
                + " but conv1 gives (B, 26, 26, 8): use a smaller pool or padding = SAME");
    }

    @Test
    void poolOnVectorsAsksForImageInput() {
        Negative.compile("PoolOnVectors", 1).errorAt(14, 22, "[Tapgrad/LayerShape] AvgPool2D pool1 needs images (batch, height, width, channels),"
                + " but hidden gives (B, 64): declare @Model(input = {height, width, channels}) or reshape the data");
    }

    @Test
    void zeroPool() {
        Negative.compile("PoolZero", 1).errorAt(14, 19, "[Tapgrad/LayerAttribute] pool = [2, 0] on layer pool1 is invalid: every value must be at least 1");
    }

    @Test
    void reshapeOfTheWrongSize() {
        Negative.compile("ReshapeWrongSize", 1).errorAt(14, 20, "[Tapgrad/LayerShape] Reshape grid to [7, 7, 15] needs 735 values per example, but the input"
                + " gives (B, 28, 28, 1), which holds 784: the sizes must be equal, as in Keras (use -1 for one dimension to infer it)");
    }

    @Test
    void reshapeWithTwoUnknowns() {
        Negative.compile("ReshapeTwoUnknowns", 1).errorAt(14, 20, "[Tapgrad/LayerAttribute] shape = [-1, -1] on layer grid is invalid: give the shape without the batch,"
                + " every dimension at least 1 except at most one -1 (inferred), e.g. shape = {7, 7, 16}");
    }

    @Test
    void conv1dKernelIsOneLength() {
        Negative.compile("Conv1DKernelPair", 1).errorAt(14, 35, "[Tapgrad/LayerAttribute] kernel = [3, 3] on layer conv is invalid: give one value of at least 1,"
                + " e.g. kernel = 3");
    }

    @Test
    void globalPool1DOnImages() {
        Negative.compile("GlobalPool1DOnImages", 1).errorAt(13, 28, "[Tapgrad/LayerShape] GlobalAvgPool1D pool needs sequences (batch, steps, channels), but the input"
                + " gives (B, 28, 28, 1): use GlobalAvgPool2D or reshape the input");
    }

    @Test
    void conv1dKernelLongerThanTheSequence() {
        Negative.compile("Conv1DKernelTooLarge", 1).errorAt(12, 34, "[Tapgrad/LayerShape] Conv1D conv needs an input at least"
                + " as large as its 7 kernel, but the input gives (B, 5, 2): use a smaller kernel or padding = SAME");
    }
}
