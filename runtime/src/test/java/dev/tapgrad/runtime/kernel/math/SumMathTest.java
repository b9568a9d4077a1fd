package dev.tapgrad.runtime.kernel.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.tapgrad.runtime.kernel.Platform;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both paths of {@link SumMath}: the same bits for every kind of sum, offset and tail length;
 * within 1e-13 of the exact sum (BigDecimal); the penalties' gradients equal to the float
 * formulas {@code g + c·signum(x)} and {@code g + 2x·c} bit for bit, ±0 and NaN included; the
 * row sums ({@link SumMath#addRows}) equal to one double addition per row in row order.
 */
class SumMathTest {
    @Test
    void theVectorPathIsUsedWhereTheGemmVectorKernelIs() {
        if (Platform.vectorUsable()) {
            assertNotSame(SumMath.PORTABLE, SumMath.ACTIVE);
            assertEquals("vector", SumMath.pathName());
        }
    }

    @Test
    void bothPathsGiveTheSameBitsCloseToTheExactSum() {
        float[] a = values(1000, new Random(1));
        for (int kind : new int[] {SumMath.PLAIN, SumMath.ABS, SumMath.SQUARE}) {
            for (int from : new int[] {0, 3}) {
                for (int to = from; to <= from + 40; to++) {
                    check(a, from, to, kind);
                }
                check(a, from, a.length - 1, kind);
            }
        }
    }

    private static void check(float[] a, int from, int to, int kind) {
        double portable = SumMath.PORTABLE.sum(a, from, to, kind);
        double active = SumMath.ACTIVE.sum(a, from, to, kind);
        assertEquals(Double.doubleToRawLongBits(portable), Double.doubleToRawLongBits(active),
                "kind " + kind + " [" + from + ", " + to + "): " + portable + " vs " + active);
        BigDecimal exact = BigDecimal.ZERO;
        BigDecimal scale = BigDecimal.ZERO;
        for (int i = from; i < to; i++) {
            float v = kind == SumMath.PLAIN ? a[i] : kind == SumMath.ABS ? Math.abs(a[i]) : a[i] * a[i];
            exact = exact.add(new BigDecimal(v));
            scale = scale.add(new BigDecimal(Math.abs(v)));
        }
        assertEquals(exact.doubleValue(), portable, 1e-13 * scale.doubleValue(), "kind " + kind + " [" + from + ", " + to + ")");
    }

    @Test
    void penaltyGradientsGiveTheFloatFormulasBitsOnBothPaths() {
        Random r = new Random(2);
        float[] x = values(203, r);
        x[17] = Float.NaN;
        x[40] = Float.intBitsToFloat(0xffc00123);
        float[] start = values(203, r);
        for (SumMath.Impl impl : paths()) {
            for (float c : new float[] {0.013f, -2.5e-6f, Float.POSITIVE_INFINITY, 0f}) {
                float[] abs = start.clone();
                float[] square = start.clone();
                impl.addAbs(x, abs, 1, x.length - 2, c);
                impl.addSquare(x, square, 1, x.length - 2, c);
                for (int i = 0; i < x.length; i++) {
                    boolean in = i >= 1 && i < x.length - 2;
                    float expectedAbs = in ? start[i] + c * Math.signum(x[i]) : start[i];
                    float expectedSquare = in ? start[i] + 2 * x[i] * c : start[i];
                    assertEquals(Float.floatToIntBits(expectedAbs), Float.floatToIntBits(abs[i]),
                            impl + " abs, c " + c + ", x " + x[i] + " at " + i);
                    assertEquals(Float.floatToIntBits(expectedSquare), Float.floatToIntBits(square[i]),
                            impl + " square, c " + c + ", x " + x[i] + " at " + i);
                }
            }
        }
    }

    /** Gaussians over seven decades, with ±0 and subnormals among them. */
    @Test
    void rowSumsAreOneDoubleChainPerColumnInRowOrder() {
        Random r = new Random(3);
        int stride = 77;
        float[] rows = values(5 + stride * 9, r);
        rows[5 + 2 * stride + 40] = Float.NaN;
        rows[5 + 3 * stride + 41] = Float.POSITIVE_INFINITY;
        rows[5 + 4 * stride + 41] = Float.NEGATIVE_INFINITY;
        double[] start = new double[stride];
        for (int j = 0; j < stride; j++) {
            start[j] = r.nextGaussian();
        }
        for (int count : new int[] {0, 1, 3, 4, 9}) {
            for (int from : new int[] {0, 1, 16}) {
                for (int to = from; to <= stride; to += to < from + 40 ? 1 : 13) {
                    double[] sums = start.clone();
                    SumMath.addRows(rows, 5, stride, count, sums, from, to);
                    for (int j = 0; j < stride; j++) {
                        double expected = start[j];
                        if (j >= from && j < to) {
                            for (int row = 0; row < count; row++) {
                                expected += rows[5 + row * stride + j];
                            }
                        }
                        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(sums[j]),
                                count + " rows, [" + from + ", " + to + ") column " + j + ": " + expected
                                        + " vs " + sums[j]);
                    }
                }
            }
        }
    }

    private static float[] values(int n, Random r) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = switch (i % 9) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> -Float.MIN_VALUE * (i + 1);
                default -> (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
            };
        }
        return v;
    }

    private static SumMath.Impl[] paths() {
        return SumMath.ACTIVE == SumMath.PORTABLE ? new SumMath.Impl[] {SumMath.PORTABLE}
                : new SumMath.Impl[] {SumMath.PORTABLE, SumMath.ACTIVE};
    }
}
