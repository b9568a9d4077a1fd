package dev.tapgrad.runtime;

import static dev.tapgrad.runtime.Ops.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Eager calls whose arguments do not fit fail with an IllegalArgumentException that names the op,
 * the shapes and the rule (the processor catches the same mistakes at compile time when it can
 * see the shapes), and the shapes of the ops that move values between axes.
 */
class OpsErrorsTest {
    static Stream<Arguments> mistakes() {
        Tensor m = Tensor.zeros(2, 3);
        return Stream.of(
                Arguments.of("matmul inner", (Supplier<Tensor>) () -> matmul(m, m), "matmul([2, 3], [2, 3]): inner dimensions 3 and 2 differ"),
                Arguments.of("matmul ranks", (Supplier<Tensor>) () -> matmul(m, Tensor.zeros(3)), "needs two rank-2 matrices"),
                Arguments.of("matmul batch", (Supplier<Tensor>) () -> matmul(Tensor.zeros(2, 2, 3), Tensor.zeros(3, 3, 2)),
                        "batch dimensions 2 and 3 differ"),
                Arguments.of("sum axis", (Supplier<Tensor>) () -> sum(m, 2, true), "sum: axis 2 is out of range for shape [2, 3]; valid axes are -2..1"),
                Arguments.of("max axis", (Supplier<Tensor>) () -> max(m, -3), "max: axis -3 is out of range"),
                Arguments.of("max empty", (Supplier<Tensor>) () -> max(Tensor.zeros(0)), "max of an empty tensor"),
                Arguments.of("expandDims", (Supplier<Tensor>) () -> expandDims(m, 3), "valid positions are -3..2"),
                Arguments.of("reshape size", (Supplier<Tensor>) () -> reshape(m, 4, 2), "6 values cannot fill 8"),
                Arguments.of("reshape two -1", (Supplier<Tensor>) () -> reshape(m, -1, -1), "only one dimension may be -1"),
                Arguments.of("reshape split", (Supplier<Tensor>) () -> reshape(m, 4, -1), "6 values do not split into blocks of 4"),
                Arguments.of("transpose", (Supplier<Tensor>) () -> transpose(Tensor.zeros(3)), "transpose swaps the last two axes"),
                Arguments.of("softmax scalar", (Supplier<Tensor>) () -> softmax(Tensor.scalar(1)), "softmax works along the last axis"),
                Arguments.of("clip bounds", (Supplier<Tensor>) () -> clip(m, 1, 0), "clip: lo 1.0 must not exceed hi 0.0"),
                Arguments.of("cosine axis", (Supplier<Tensor>) () -> cosineSimilarity(Tensor.zeros(3), m, 0),
                        "is not an axis of the argument of shape [3]; pass a negative axis"),
                Arguments.of("kl shapes", (Supplier<Tensor>) () -> klDivergence(m, Tensor.zeros(2)), "klDivergence(yTrue [2, 3], yPred [2])"),
                Arguments.of("crossentropy scalar", (Supplier<Tensor>) () -> categoricalCrossentropy(Tensor.scalar(1), Tensor.scalar(1)),
                        "needs a class axis"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void argumentsThatDoNotFitAreNamed(String name, Supplier<Tensor> call, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::get);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    static Stream<Arguments> shapes() {
        Tensor x = Tensor.zeros(4, 26, 26, 32);
        Tensor m = Tensor.zeros(4, 64);
        return Stream.of(
                Arguments.of("reshape keeps the batch", reshape(x, -1, 21632), new int[] {4, 21632}),
                Arguments.of("reshape infers the middle", reshape(m, 4, -1, 8), new int[] {4, 8, 8}),
                Arguments.of("expandDims front", expandDims(m, 0), new int[] {1, 4, 64}),
                Arguments.of("expandDims end", expandDims(m, -1), new int[] {4, 64, 1}),
                Arguments.of("gram of a batch", matmul(m, transpose(m)), new int[] {4, 4}),
                Arguments.of("sum keepDims", sum(m, -1, true), new int[] {4, 1}),
                Arguments.of("max drops the axis", max(x, 3), new int[] {4, 26, 26}),
                Arguments.of("cosine drops the axis", cosineSimilarity(m, m, 1), new int[] {4}),
                Arguments.of("losses are scalars", klDivergence(Tensor.zeros(64), softmax(Tensor.zeros(4, 10, 64))), new int[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void resultShapes(String name, Tensor result, int[] shape) {
        assertArrayEquals(shape, result.shape());
    }
}
