package dev.tapgrad.runtime.kernel;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The GEMM tests' parameters: every shape with every transpose combination, accumulating or not. */
final class GemmCases {
    private GemmCases() {}

    /** {@code (transA, transB, m, n, k, accumulate)} for each {@code {m, n, k}} of {@code sizes}. */
    static Stream<Arguments> everyCombination(int[][] sizes) {
        Stream.Builder<Arguments> b = Stream.builder();
        for (int[] s : sizes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (boolean acc : new boolean[] {false, true}) {
                        b.add(Arguments.of(ta, tb, s[0], s[1], s[2], acc));
                    }
                }
            }
        }
        return b.build();
    }
}
