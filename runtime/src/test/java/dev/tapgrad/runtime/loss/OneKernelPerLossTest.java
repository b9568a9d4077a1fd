package dev.tapgrad.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.LossKind;
import dev.tapgrad.runtime.Ops;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.internal.MainLoss;
import dev.tapgrad.runtime.ops.Losses;
import org.junit.jupiter.api.Test;

/**
 * The built-in main loss (what generated code calls for {@code @Model(loss = ...)}) and the
 * loss-body op with its adjoint give the same values and gradients, bit for bit, at and around
 * the clip: yPred = 0, 1e-7, 1 − 1e-7 and 1. They run one kernel; before, two copies disagreed at
 * the clip boundary.
 */
class OneKernelPerLossTest {
    private static final float EPS = 1e-7f;
    private static final float ONE_MINUS = 1 - 1e-7f;

    /** Rows that put 0, 1e-7, 1 − 1e-7 and 1 at the first class; soft labels so every class has a gradient. */
    private static final Tensor PRED = Tensor.of(new float[] {
        0, 0.5f, 0.5f,
        EPS, 0.5f, 0.5f - EPS,
        ONE_MINUS, EPS, 0,
        1, 0, 0,
        EPS, ONE_MINUS, 0,
    }, 5, 3);
    private static final Tensor TRUE = Tensor.of(new float[] {
        0.2f, 0.3f, 0.5f,
        0.6f, 0.1f, 0.3f,
        0.5f, 0.25f, 0.25f,
        0.1f, 0.8f, 0.1f,
        1, 0, 0,
    }, 5, 3);

    @Test
    void crossentropyMainLossAndOpAgreeAtTheClip() {
        Tensor mainGrad = Tensor.zeros(5, 3);
        double main = MainLoss.valueAndGradient(LossKind.CATEGORICAL_CROSSENTROPY, TRUE, PRED, mainGrad, 1.0);
        Tensor out = Ops.categoricalCrossentropy(TRUE, PRED);
        Tensor opGrad = Losses.categoricalCrossentropyAdjointPred(TRUE, PRED, out, Tensor.scalar(1));
        assertEquals((float) main, out.item(), "value");
        assertArrayEquals(mainGrad.toArray(), opGrad.toArray(), "gradient for yPred");
        // Not vacuous: the rows are clipped (the value holds -log(1e-7) terms) and the gradient is not all zero.
        assertTrue(main > -0.6 * Math.log(1e-7) / 5, "clipped rows contribute -log(1e-7): " + main);
        assertTrue(maxAbs(opGrad) > 0.1, "gradient " + java.util.Arrays.toString(opGrad.toArray()));
    }

    @Test
    void mseMainLossAndOpAgreeAtTheClipValues() {
        Tensor mainGrad = Tensor.zeros(5, 3);
        double main = MainLoss.valueAndGradient(LossKind.MSE, TRUE, PRED, mainGrad, 1.0);
        Tensor out = Ops.mse(TRUE, PRED);
        Tensor opGrad = Losses.mseAdjointPred(TRUE, PRED, out, Tensor.scalar(1));
        assertEquals((float) main, out.item(), "value");
        assertArrayEquals(mainGrad.toArray(), opGrad.toArray(), "gradient for yPred");
        assertTrue(maxAbs(opGrad) > 0.01);
    }

    @Test
    void binaryCrossentropyMaeAndHuberMainLossesAndOpsAgree() {
        Tensor scaledTrue = Tensor.of(TRUE.toArray(), 5, 3);
        Tensor far = Tensor.of(new float[15], 5, 3);
        for (int i = 0; i < 15; i++) {
            far.buffer()[i] = 3 * PRED.buffer()[i] - 1.2f; // errors on both sides of Huber's delta 1
        }
        record Case(LossKind kind, Tensor pred, java.util.function.BinaryOperator<Tensor> op, Adjoint adjoint) {}
        for (Case c : new Case[] {
            new Case(LossKind.BINARY_CROSSENTROPY, PRED, Ops::binaryCrossentropy, Losses::binaryCrossentropyAdjointPred),
            new Case(LossKind.MAE, far, Ops::meanAbsoluteError, Losses::meanAbsoluteErrorAdjointPred),
            new Case(LossKind.HUBER, far, Ops::huber, Losses::huberAdjointPred),
        }) {
            Tensor mainGrad = Tensor.zeros(5, 3);
            double main = MainLoss.valueAndGradient(c.kind(), scaledTrue, c.pred(), mainGrad, 1.0);
            Tensor out = c.op().apply(scaledTrue, c.pred());
            Tensor opGrad = c.adjoint().apply(scaledTrue, c.pred(), out, Tensor.scalar(1));
            assertEquals((float) main, out.item(), c.kind() + ": value");
            assertArrayEquals(mainGrad.toArray(), opGrad.toArray(), c.kind() + ": gradient for yPred");
            assertTrue(maxAbs(opGrad) > 0.01, c.kind() + ": gradient " + java.util.Arrays.toString(opGrad.toArray()));
        }
    }

    @Test
    void sparseMainLossAndOpAgreeAndEqualTheCategoricalOfOneHotRows() {
        Tensor ids = Tensor.of(new float[] {0, 0, 2, 1, 1}, 5);
        Tensor oneHot = Tensor.zeros(5, 3);
        for (int r = 0; r < 5; r++) {
            oneHot.set(1, r, (int) ids.get(r));
        }
        Tensor mainGrad = Tensor.zeros(5, 3);
        double main = MainLoss.valueAndGradient(LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, ids, PRED, mainGrad, 1.0);
        Tensor out = Ops.sparseCategoricalCrossentropy(ids, PRED);
        Tensor opGrad = Losses.sparseCategoricalCrossentropyAdjointPred(ids, PRED, out, Tensor.scalar(1));
        assertEquals((float) main, out.item(), "value");
        assertArrayEquals(mainGrad.toArray(), opGrad.toArray(), "gradient for yPred");
        Tensor catGrad = Tensor.zeros(5, 3);
        double cat = MainLoss.valueAndGradient(LossKind.CATEGORICAL_CROSSENTROPY, oneHot, PRED, catGrad, 1.0);
        assertEquals(cat, main, 1e-12, "the categorical crossentropy of the one-hot rows");
        float[] a = catGrad.toArray();
        float[] b = mainGrad.toArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-6 * Math.max(1, Math.abs(a[i])), "gradient [" + i + "]");
        }
    }

    /** An adjoint for yPred. */
    interface Adjoint {
        Tensor apply(Tensor yTrue, Tensor yPred, Tensor out, Tensor g);
    }

    /**
     * At the clip's boundaries the gradient passes, as {@code torch.clamp}'s and TensorFlow's
     * {@code clip_by_value}'s do ({@code x >= lo && x <= hi}); just outside it stops.
     */
    @Test
    void theClipPassesTheGradientOnItsClosedInterval() {
        assertTrue(Clip.passesToOpen(Clip.EPSILON));
        assertTrue(Clip.passesToOpen(1 - Clip.EPSILON));
        assertFalse(Clip.passesToOpen(Math.nextDown(Clip.EPSILON)));
        assertFalse(Clip.passesToOpen(Math.nextUp(1 - Clip.EPSILON)));
        assertTrue(Clip.passesToUnit(Clip.EPSILON));
        assertTrue(Clip.passesToUnit(1));
        assertFalse(Clip.passesToUnit(Math.nextUp(1.0)));
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.buffer()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
