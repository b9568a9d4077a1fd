package dev.tapgrad.runtime.kernel.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.tapgrad.Activation;
import dev.tapgrad.runtime.kernel.Platform;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both paths of {@link ReluRows} against the two passes it replaces, composed from the kernels
 * that existed before it: relu forward as {@link Activations#forward}, and backward as the
 * penalty's gradient added by {@link SumMath#addAbs} or {@link SumMath#addSquare}, then relu's
 * derivative by {@link Activations#backward} at the pre-activation. The same bits, over a run with
 * an offset and a ragged tail, with ±0, NaN, infinities, subnormals and negative outputs.
 */
class ReluRowsTest {
    private static final int N = 301;
    private static final int FROM = 3;
    private static final int TO = N - 2;

    @Test
    void theVectorPathIsUsedWhereTheGemmVectorKernelIs() {
        if (Platform.vectorUsable()) {
            assertNotSame(ReluRows.PORTABLE, ReluRows.ACTIVE);
            assertEquals("vector", ReluRows.pathName());
        }
    }

    @Test
    void forwardIsActivationsRelu() {
        for (ReluRows.Impl impl : paths()) {
            float[] z = values(new Random(1));
            float[] expected = z.clone();
            float[] inner = new float[TO - FROM];
            Activations.forward(Activation.RELU, java.util.Arrays.copyOfRange(z, FROM, TO), inner, 1, TO - FROM);
            System.arraycopy(inner, 0, expected, FROM, inner.length);
            float[] actual = z.clone();
            impl.forward(actual, FROM, TO);
            assertBits("forward", expected, actual);
        }
    }

    @ParameterizedTest(name = "penalty kind {0}")
    @ValueSource(ints = {ReluRows.NONE, ReluRows.ABS, ReluRows.SQUARE})
    void backwardIsThePenaltysGradientThenRelusDerivative(int kind) {
        for (float c : new float[] {0.0371f, -2.5e-4f, 0f, 1e-39f}) {
            for (ReluRows.Impl impl : paths()) {
                Random r = new Random(7);
                float[] z = values(r);
                float[] out = z.clone();
                for (int i = 0; i < N; i++) {
                    out[i] = Math.max(z[i], 0f);
                }
                float[] g = values(r);
                float[] expected = g.clone();
                if (kind == ReluRows.ABS) {
                    SumMath.PORTABLE.addAbs(out, expected, FROM, TO, c);
                } else if (kind == ReluRows.SQUARE) {
                    SumMath.PORTABLE.addSquare(out, expected, FROM, TO, c);
                }
                float[] zRun = java.util.Arrays.copyOfRange(z, FROM, TO);
                float[] gRun = java.util.Arrays.copyOfRange(expected, FROM, TO);
                Activations.backward(Activation.RELU, zRun, zRun, gRun, 1, TO - FROM);
                System.arraycopy(gRun, 0, expected, FROM, gRun.length);
                float[] actual = g.clone();
                impl.backward(out, actual, FROM, TO, kind, c);
                assertBits("backward, c=" + c, expected, actual);
            }
        }
    }

    /** Gaussians over seven decades, and every ninth value a special one. */
    private static float[] values(Random r) {
        float[] x = new float[N];
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                -Float.MIN_VALUE, 1e-40f, 3e30f, -1f};
        for (int i = 0; i < N; i++) {
            x[i] = i % 9 == 0 ? special[(i / 9) % special.length] : (float) (r.nextGaussian() * Math.pow(10, i % 7 - 3));
        }
        return x;
    }

    private static void assertBits(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + " at " + i + ": expected " + expected[i] + ", got " + actual[i]);
        }
    }

    private static ReluRows.Impl[] paths() {
        return ReluRows.ACTIVE == ReluRows.PORTABLE ? new ReluRows.Impl[] {ReluRows.PORTABLE}
                : new ReluRows.Impl[] {ReluRows.PORTABLE, ReluRows.ACTIVE};
    }
}
