package dev.tapgrad.processor;

import org.junit.jupiter.api.Test;

/**
 * DESIGN §2 row 5 for the ops that take axes and matrices: each error is a BodyShape error at the
 * op's call (javac places a call at its '('), with the shapes involved, the batch dimension as B.
 */
class OpShapeErrorsTest {
    @Test
    void matmulWithMismatchedInnerDimensionsSuggestsTranspose() {
        // return mean(matmul(unit, unit)); -- column 27 is the '(' of matmul(...)
        Negative.compile("MatmulInnerMismatch", 1)
                .errorAt(18, 27, "[Tapgrad/BodyShape] matmul((B, 64), (B, 64)): inner dimensions 64 and B differ;"
                        + " did you mean transpose(...)? matmul(a, transpose(b)) multiplies (B, 64) by (64, B)");
    }

    @Test
    void axisOutOfRangeNamesTheValidAxes() {
        // Tensor total = sum(hidden, 2, true); -- column 27 is the '(' of sum(...)
        Negative.compile("AxisOutOfRange", 1)
                .errorAt(17, 27, "[Tapgrad/BodyShape] sum((B, 64), 2, true): axis 2 is out of range for (B, 64);"
                        + " valid axes are -2..1 (negative axes count from the end)");
    }

    @Test
    void axisThatIsNoConstantAsksForOne() {
        // static int features = 1; (not final: no compile-time value) ... { return mean(max(hidden, features)); }
        // -- column 49 is the '(' of max(...)
        Negative.compile("AxisNotLiteral", 1)
                .errorAt(18, 49, "[Tapgrad/BodyShape] max((B, 64), features): the axis must be an int literal such as"
                        + " 1 or -1, or a static final int constant, so that Tapgrad can check shapes at compile time;"
                        + " found features");
    }
}
