package dev.tapgrad.runtime.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.runtime.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LossesTest {
    /** Keras's categorical cross-entropy, written again in double for finite differences. */
    static double ceReference(double[] y, double[] p, int classes) {
        int rows = p.length / classes;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += p[r * classes + j];
            }
            for (int j = 0; j < classes; j++) {
                double c = Math.min(Math.max(p[r * classes + j] / sum, 1e-7), 1 - 1e-7);
                total -= y[r * classes + j] * Math.log(c);
            }
        }
        return total / rows;
    }

    static double mseReference(double[] y, double[] p) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s += (y[i] - p[i]) * (y[i] - p[i]);
        }
        return s / p.length;
    }

    interface Loss {
        double value(double[] y, double[] p);
    }

    static double[] doubles(Tensor t) {
        float[] f = t.buffer();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Central differences in double per element, plus along a random direction. */
    static void assertGradient(Loss loss, Tensor y, Tensor p, Tensor grad, double scale) {
        double[] yd = doubles(y);
        double[] pd = doubles(p);
        double h = 1e-6;
        for (int i = 0; i < pd.length; i++) {
            double[] plus = pd.clone();
            double[] minus = pd.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = scale * (loss.value(yd, plus) - loss.value(yd, minus)) / (2 * h);
            assertEquals(fd, grad.buffer()[i], 1e-4 * Math.max(1, Math.abs(fd)), "element " + i);
        }
        Random r = new Random(1);
        double[] dir = new double[pd.length];
        double dot = 0;
        for (int i = 0; i < pd.length; i++) {
            dir[i] = r.nextGaussian();
            dot += dir[i] * grad.buffer()[i];
        }
        double[] plus = pd.clone();
        double[] minus = pd.clone();
        for (int i = 0; i < pd.length; i++) {
            plus[i] += h * dir[i];
            minus[i] -= h * dir[i];
        }
        double fd = scale * (loss.value(yd, plus) - loss.value(yd, minus)) / (2 * h);
        assertEquals(fd, dot, 1e-4 * Math.max(1, Math.abs(fd)), "random direction");
    }

    @Test
    void crossEntropyOfAOneHotRowIsMinusLogOfTheTrueClass() {
        Tensor y = Tensor.of(new float[] {0, 1, 0, 1, 0, 0}, 2, 3);
        Tensor p = Tensor.of(new float[] {.2f, .7f, .1f, .5f, .25f, .25f}, 2, 3);
        double expected = -(Math.log(.7f) + Math.log(.5f)) / 2;
        assertEquals(expected, CategoricalCrossentropy.valueAndGradient(y, p, null, 1), 1e-7);
    }

    @Test
    void crossEntropyNormalisesRowsFirst() {
        Tensor y = Tensor.of(new float[] {0, 1, 0}, 1, 3);
        Tensor p = Tensor.of(new float[] {.4f, 1.4f, .2f}, 1, 3);
        assertEquals(-Math.log(0.7), CategoricalCrossentropy.valueAndGradient(y, p, null, 1), 1e-7);
    }

    @Test
    void crossEntropyGradientMatchesFiniteDifferences() {
        Random r = new Random(7);
        int rows = 6;
        int classes = 4;
        float[] pv = new float[rows * classes];
        float[] yv = new float[rows * classes];
        for (int i = 0; i < pv.length; i++) {
            pv[i] = 0.05f + r.nextFloat();   // unnormalised on purpose, away from the clip
            yv[i] = r.nextFloat();           // soft labels exercise every y_j
        }
        Tensor y = Tensor.of(yv, 2, 3, classes);   // a sequence: rows are all leading dimensions
        Tensor p = Tensor.of(pv, 2, 3, classes);
        Tensor grad = Tensor.zeros(2, 3, classes);
        grad.fill(99f);   // must be overwritten, not accumulated
        double value = CategoricalCrossentropy.valueAndGradient(y, p, grad, 0.3);
        assertEquals(ceReference(doubles(y), doubles(p), classes), value, 1e-9);
        assertGradient((yd, pd) -> ceReference(yd, pd, classes), y, p, grad, 0.3);
    }

    /**
     * The kernel takes no log for a class whose label is zero; that must leave the value's bits as
     * the sum over every class gives them (0·log c is a zero, since the clipped c makes log c
     * finite): one-hot rows, soft labels with zeros, −0 labels, probabilities at and past both
     * ends of the clip, summed in double in the kernel's order.
     */
    @Test
    void labelsOfZeroLeaveTheSumsBitsAsTheLogOfEveryClassGivesThem() {
        Random r = new Random(17);
        int rows = 64;
        int classes = 10;
        float[] yv = new float[rows * classes];
        float[] pv = new float[rows * classes];
        for (int i = 0; i < rows; i++) {
            int hot = r.nextInt(classes);
            for (int j = 0; j < classes; j++) {
                int at = i * classes + j;
                pv[at] = switch (r.nextInt(5)) {
                    case 0 -> 0f;        // clipped up to ε
                    case 1 -> 1e-9f;     // below ε
                    default -> r.nextFloat();
                };
                yv[at] = i % 3 == 0 ? (j == hot ? 0.7f : r.nextInt(3) == 0 ? 0.1f : 0f)
                        : j == hot ? 1f : i % 3 == 1 ? -0f : 0f;
            }
            if (i % 7 == 0) {
                for (int j = 0; j < classes; j++) {
                    pv[i * classes + j] = j == hot ? 1f : 0f;   // q = 1, clipped down to 1 − ε
                }
            }
        }
        double expected = 0;
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int j = 0; j < classes; j++) {
                sum += pv[i * classes + j];
            }
            double loss = 0;
            for (int j = 0; j < classes; j++) {
                loss -= yv[i * classes + j] * Math.log(Clip.toOpen(pv[i * classes + j] / sum));
            }
            expected += loss;
        }
        expected /= rows;
        double got = CategoricalCrossentropy.valueAndGradient(Tensor.of(yv, rows, classes), Tensor.of(pv, rows, classes),
                Tensor.zeros(rows, classes), 1);
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got),
                "expected " + expected + ", got " + got);
    }

    @Test
    void clippedProbabilitiesGiveTheClipValueAndNoGradient() {
        Tensor y = Tensor.of(new float[] {0, 1, 0}, 1, 3);
        Tensor p = Tensor.of(new float[] {1, 0, 0}, 1, 3);
        Tensor grad = Tensor.zeros(1, 3);
        assertEquals(-Math.log(1e-7), CategoricalCrossentropy.valueAndGradient(y, p, grad, 1), 1e-9);
        assertEquals(0f, grad.get(0, 0));
        assertEquals(0f, grad.get(0, 1));
        assertEquals(0f, grad.get(0, 2));

        Tensor right = Tensor.of(new float[] {1, 0, 0}, 1, 3);
        assertEquals(-Math.log(1 - 1e-7), CategoricalCrossentropy.valueAndGradient(right, p, grad, 1), 1e-12);
        assertEquals(0f, grad.get(0, 0));
    }

    @Test
    void partlyClippedRowsKeepTheGradientOfTheUnclippedEntries() {
        Tensor y = Tensor.of(new float[] {0.5f, 0.5f, 0}, 1, 3);
        Tensor p = Tensor.of(new float[] {0.6f, 0.4f, 0}, 1, 3);
        Tensor grad = Tensor.zeros(1, 3);
        CategoricalCrossentropy.valueAndGradient(y, p, grad, 1);
        // q = p; h = (−0.5/0.6, −0.5/0.4, 0); Σ h q = −1; dL/dp = h + 1
        assertEquals(1 - 0.5 / 0.6, grad.get(0, 0), 1e-6);
        assertEquals(1 - 0.5 / 0.4, grad.get(0, 1), 1e-6);
        assertEquals(1, grad.get(0, 2), 1e-6);
    }

    @Test
    void mseIsTheMeanOverEveryElement() {
        Tensor y = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor p = Tensor.of(new float[] {2, 4, 3, 1}, 2, 2);
        assertEquals((1 + 4 + 0 + 9) / 4.0, MeanSquaredError.valueAndGradient(y, p, null, 1), 1e-12);
    }

    @Test
    void mseGradientMatchesFiniteDifferences() {
        Random r = new Random(3);
        Tensor y = Tensor.randn(r, 5, 3);
        Tensor p = Tensor.randn(r, 5, 3);
        Tensor grad = Tensor.zeros(5, 3);
        grad.fill(-7f);
        assertEquals(mseReference(doubles(y), doubles(p)), MeanSquaredError.valueAndGradient(y, p, grad, 2.5), 1e-12);
        assertGradient(LossesTest::mseReference, y, p, grad, 2.5);
        assertEquals(2.5 * 2 * (p.get(1, 2) - y.get(1, 2)) / 15, grad.get(1, 2), 1e-6);
    }

    @Test
    void shapesMustAgree() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MeanSquaredError.valueAndGradient(Tensor.zeros(2, 3), Tensor.zeros(3, 2), null, 1));
        assertEquals("mse: labels [2, 3] and predictions [3, 2] need the same shape", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CategoricalCrossentropy.valueAndGradient(Tensor.zeros(2, 3), Tensor.zeros(2, 3), Tensor.zeros(3), 1));
        assertEquals("categoricalCrossentropy: gradient buffer [3] must have the predictions' shape [2, 3]", e.getMessage());
    }
}
