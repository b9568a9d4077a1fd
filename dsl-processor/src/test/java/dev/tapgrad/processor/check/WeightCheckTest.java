package dev.tapgrad.processor.check;

import static com.google.common.truth.Truth.assertThat;
import static dev.tapgrad.processor.check.Specs.aux;
import static dev.tapgrad.processor.check.Specs.lines;
import static dev.tapgrad.processor.check.Specs.sparseCnn;

import org.junit.jupiter.api.Test;

/** DESIGN §2 row 10: a weight must be finite and greater than 0, reported at the weight value. */
class WeightCheckTest {
    @Test
    void finitePositiveWeightsPass() {
        assertThat(lines(WeightCheck.run(sparseCnn(aux("a", 0.01, "conv1"), aux("b", 1e-12, "conv1"),
                aux("c", 1e6, "conv1"), aux("d", Double.MIN_VALUE, "conv1"), aux("e", Double.MAX_VALUE, "conv1"))))).isEmpty();
    }

    @Test
    void zeroNegativeNanAndInfiniteWeightsAreEachReported() {
        String rule = " must be finite and greater than 0 (it multiplies the term in loss = main + Σ weight·aux);"
                + " to switch the term off, remove @AuxLoss @ At[where=weight:";
        assertThat(lines(WeightCheck.run(sparseCnn(aux("zero", 0.0, "conv1"), aux("minusZero", -0.0, "conv1"),
                aux("negative", -1, "conv1"), aux("nan", Double.NaN, "conv1"), aux("inf", Double.POSITIVE_INFINITY, "conv1"),
                aux("minusInf", Double.NEGATIVE_INFINITY, "conv1"))))).containsExactly(
                "ERROR [Tapgrad/LossWeight] weight = 0.0 on zero" + rule + "zero]",
                "ERROR [Tapgrad/LossWeight] weight = -0.0 on minusZero" + rule + "minusZero]",
                "ERROR [Tapgrad/LossWeight] weight = -1.0 on negative" + rule + "negative]",
                "ERROR [Tapgrad/LossWeight] weight = NaN on nan" + rule + "nan]",
                "ERROR [Tapgrad/LossWeight] weight = Infinity on inf" + rule + "inf]",
                "ERROR [Tapgrad/LossWeight] weight = -Infinity on minusInf" + rule + "minusInf]").inOrder();
    }
}
