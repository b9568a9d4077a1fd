package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.parallel.ParallelFor;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Conv2D#feedBatchNorm}: a BatchNorm whose statistics and dL/dx run inside the feeding
 * convolution's loops gives what the two layers give unfed. The statistics are summed per image
 * and combined in another order, so they are checked against two passes in double and the rest
 * against the unfed layers within float rounding; in inference (moving statistics, nothing
 * reordered) everything must be the same bits. Shapes with odd sizes, the direct and the im2col
 * path, relu, linear and tanh (the last two take the whole-batch passes where the convolution
 * cannot), output penalties on either layer, one thread against two.
 */
class BatchNormFeedTest {
    @ParameterizedTest(name = "{0}x{1}x{2}x{3} > {4} {5} direct={6} bn {7} conv {8} training={9}")
    @CsvSource({
            "3, 9, 9, 1, 16, RELU, true, NONE, NONE, true",
            "3, 9, 9, 1, 16, RELU, true, SUM_ABS, NONE, true",
            "2, 11, 10, 16, 32, RELU, true, MEAN_ABS, NONE, true",
            "3, 7, 9, 3, 5, RELU, true, NONE, NONE, true",
            "2, 8, 7, 16, 16, RELU, true, NONE, MEAN_ABS, true",
            "2, 8, 7, 16, 16, LINEAR, true, SUM_ABS, MEAN_SQUARE, true",
            "2, 8, 8, 4, 32, TANH, true, NONE, NONE, true",
            "2, 9, 8, 2, 16, RELU, false, SUM_SQUARE, NONE, true",
            "3, 9, 9, 1, 16, RELU, true, SUM_ABS, NONE, false",
            "2, 11, 10, 16, 32, RELU, true, NONE, NONE, false"})
    void aFedBatchNormGivesWhatTheUnfedOneGives(int b, int h, int w, int c, int filters, Activation act, boolean direct,
            String bnPenalty, String convPenalty, boolean training) {
        Pair plain = new Pair(h, w, c, filters, act, direct, bnPenalty, convPenalty, training, false);
        Pair fed = new Pair(h, w, c, filters, act, direct, bnPenalty, convPenalty, training, true);
        Random random = new Random(b * 100 + filters);
        Tensor x = Tensor.randn(random, b, h, w, c);
        Tensor dy = Tensor.randn(random, b, h - 2, w - 2, filters);
        plain.step(x, dy);
        fed.step(x, dy);

        assertArrayEquals(plain.convOut.toArray(), fed.convOut.toArray(), "the convolution's output");
        if (!training) {
            // nothing is reordered: the deferred dL/dx is the whole-batch pass's floats
            assertArrayEquals(plain.bnOut.toArray(), fed.bnOut.toArray(), "output");
            assertArrayEquals(plain.gx.toArray(), fed.gx.toArray(), "dL/dx");
            for (int p = 0; p < 2; p++) {
                assertArrayEquals(plain.conv.parameters().get(p).grad().toArray(),
                        fed.conv.parameters().get(p).grad().toArray(), "conv gradient " + p);
                assertArrayEquals(plain.bn.parameters().get(p).grad().toArray(),
                        fed.bn.parameters().get(p).grad().toArray(), "bn gradient " + p);
            }
            return;
        }
        // the batch statistics (momentum 0: the moving ones are the batch's, rounded to float) against double
        float[] z = fed.convOut.buffer();
        int rows = z.length / filters;
        for (int ch = 0; ch < filters; ch++) {
            double m = 0;
            for (int r = 0; r < rows; r++) {
                m += z[r * filters + ch];
            }
            m /= rows;
            double v = 0;
            for (int r = 0; r < rows; r++) {
                v += (z[r * filters + ch] - m) * (z[r * filters + ch] - m);
            }
            v /= rows;
            assertEquals(m, fed.bn.state().get(0).value().buffer()[ch], 1e-6 * (1 + Math.sqrt(v) + Math.abs(m)), "mean " + ch);
            assertEquals(v, fed.bn.state().get(1).value().buffer()[ch], 1e-5 * v + 1e-12, "variance " + ch);
        }
        close(plain.bnOut.toArray(), fed.bnOut.toArray(), "output");
        close(plain.gx.toArray(), fed.gx.toArray(), "dL/dx");
        // the kernel and bias gradients are sums over the pixels of dL/dz, which BatchNorm's dL/dx makes
        // cancel (it sums to zero per channel): within float rounding of the sum of the terms' magnitudes
        float[] dz = plain.gConv.buffer();
        double[] bound = new double[filters];
        double maxX = 1;
        for (float v : x.buffer()) {
            maxX = Math.max(maxX, Math.abs(v));
        }
        for (int i = 0; i < dz.length; i++) {
            bound[i % filters] += 1e-5 * maxX * Math.abs(dz[i]);
        }
        for (int p = 0; p < 2; p++) {
            float[] expected = plain.conv.parameters().get(p).grad().toArray();
            float[] actual = fed.conv.parameters().get(p).grad().toArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], bound[i % filters], "conv gradient " + p + "[" + i + "]");
            }
            close(plain.bn.parameters().get(p).grad().toArray(), fed.bn.parameters().get(p).grad().toArray(),
                    "bn gradient " + p);
        }
        if (!bnPenalty.equals("NONE")) {
            assertEquals(plain.bn.penalty(), fed.bn.penalty(), 1e-5 * Math.abs(plain.bn.penalty()), "bn penalty");
        }
    }

    @Test
    void oneThreadAndTwoGiveTheSameBits() {
        Random random = new Random(9);
        Tensor x = Tensor.randn(random, 6, 12, 11, 16);
        Tensor dy = Tensor.randn(random, 6, 10, 9, 32);
        Pair shared = new Pair(12, 11, 16, 32, Activation.RELU, true, "MEAN_ABS", "NONE", true, true);
        shared.step(x, dy);
        Pair alone = new Pair(12, 11, 16, 32, Activation.RELU, true, "MEAN_ABS", "NONE", true, true);
        // inside a shared loop every ParallelFor.run runs on the calling thread alone
        ParallelFor.run(2, 1, (from, to, slot) -> {
            if (from == 0) {
                assertTrue(ParallelFor.sharing() || ParallelFor.slots() == 1);
                alone.step(x, dy);
            }
        });
        assertArrayEquals(shared.bnOut.toArray(), alone.bnOut.toArray(), "output");
        assertArrayEquals(shared.gx.toArray(), alone.gx.toArray(), "dL/dx");
        assertArrayEquals(shared.conv.parameters().get(0).grad().toArray(),
                alone.conv.parameters().get(0).grad().toArray(), "kernel gradient");
        assertArrayEquals(shared.bn.parameters().get(0).grad().toArray(),
                alone.bn.parameters().get(0).grad().toArray(), "gamma gradient");
    }

    @Test
    void aBatchNormOnAnotherInputThanItsFeederRunsItsOwnPasses() {
        Pair plain = new Pair(9, 9, 1, 16, Activation.RELU, true, "NONE", "NONE", true, false);
        Pair fed = new Pair(9, 9, 1, 16, Activation.RELU, true, "NONE", "NONE", true, true);
        Random random = new Random(4);
        Tensor x = Tensor.randn(random, 2, 9, 9, 1);
        Tensor other = Tensor.randn(random, 2, 7, 7, 16); // as the output of a Dense or a pooling layer would be
        fed.allocate(x);
        fed.conv.forward(x, fed.convOut);
        Tensor outPlain = Tensor.zeros(other.shape());
        Tensor outFed = Tensor.zeros(other.shape());
        plain.bn.forward(other, outPlain);
        fed.bn.forward(other, outFed);
        assertArrayEquals(outPlain.toArray(), outFed.toArray(), "output");
        Tensor gPlain = Tensor.zeros(other.shape());
        Tensor gFed = Tensor.zeros(other.shape());
        plain.bn.backward(other, fed.convOut, gPlain, false);
        fed.bn.backward(other, fed.convOut, gFed, false);
        assertArrayEquals(gPlain.toArray(), gFed.toArray(), "dL/dx written by the BatchNorm itself");
    }

    @Test
    void aDeferredGradientReadByAnotherBackwardIsAnError() {
        Pair fed = new Pair(9, 9, 1, 16, Activation.RELU, true, "NONE", "NONE", true, true);
        Random random = new Random(4);
        Tensor x = Tensor.randn(random, 2, 9, 9, 1);
        fed.allocate(x);
        fed.conv.forward(x, fed.convOut);
        fed.bn.forward(fed.convOut, fed.bnOut);
        Tensor dy = Tensor.randn(random, 2, 7, 7, 16);
        Tensor gConv = Tensor.zeros(dy.shape());
        fed.bn.backward(fed.convOut, dy, gConv, false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> fed.conv.backward(x, fed.convOut, Tensor.zeros(dy.shape()), null));
        assertEquals("BatchNorm bn: its dL/dx was left to the feeding Conv2D, whose backward got another dL/dout;"
                + " feed a BatchNorm only from a Conv2D whose output it alone reads", e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> fed.conv.feedBatchNorm(new BatchNorm("bn8", 8, 0.9, 1e-3)));
        assertEquals("BatchNorm bn8: fed 16 channels, has 8 features", bad.getMessage());
    }

    private static void close(float[] expected, float[] actual, String what) {
        double max = 0;
        for (float v : expected) {
            max = Math.max(max, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            // the statistics differ in their last bits; everything after them within a few float roundings
            assertEquals(expected[i], actual[i], 2e-5 * max + 1e-30, what + "[" + i + "]");
        }
    }

    /** Conv2D (3×3, valid) → BatchNorm with identical parameters, fed or not, and one step's tensors. */
    private static final class Pair {
        final Conv2D conv;
        final BatchNorm bn;
        Tensor convOut;
        Tensor bnOut;
        Tensor gConv;
        Tensor gx;

        Pair(int h, int w, int c, int filters, Activation act, boolean direct, String bnPenalty, String convPenalty,
                boolean training, boolean feed) {
            conv = new Conv2D("conv", h, w, c, filters, 3, 3, 1, 1, Padding.VALID, act);
            conv.useDirect(direct);
            conv.initialize(new Random(1));
            Random random = new Random(2);
            for (float[] bias = conv.bias().buffer(); random.nextInt(3) >= 0 && bias[0] == 0; ) {
                for (int f = 0; f < filters; f++) {
                    bias[f] = 0.3f * (float) random.nextGaussian(); // some means away from zero
                }
            }
            bn = new BatchNorm("bn", filters, 0.0, 1e-3);
            Mode mode = new Mode(0);
            if (training) {
                mode.fitting();
            } else {
                mode.inferring();
            }
            bn.useMode(mode, 0);
            for (int f = 0; f < filters; f++) {
                bn.parameters().get(0).value().buffer()[f] = 0.6f + 0.1f * f;
                bn.parameters().get(1).value().buffer()[f] = (f % 3 - 1) * 0.3f;
                bn.state().get(0).value().buffer()[f] = 0.05f * f;
                bn.state().get(1).value().buffer()[f] = 1.5f - 0.02f * f;
            }
            if (!bnPenalty.equals("NONE")) {
                bn.penalize(OutputPenalty.valueOf(bnPenalty), 0.05);
            }
            if (!convPenalty.equals("NONE")) {
                conv.penalize(OutputPenalty.valueOf(convPenalty), 0.07);
            }
            if (feed) {
                conv.feedBatchNorm(bn);
            }
        }

        /** The graph's order: conv, bn forward; bn, conv backward, each the first to write its gradient. */
        void step(Tensor x, Tensor dy) {
            allocate(x);
            gConv.fill(Float.NaN); // written before it is read
            conv.forward(x, convOut);
            bn.forward(convOut, bnOut);
            bn.backward(convOut, dy, gConv, false);
            conv.backward(x, convOut, gConv, gx, false);
        }

        void allocate(Tensor x) {
            int[] s = x.shape();
            convOut = Tensor.zeros(s[0], s[1] - 2, s[2] - 2, bn.parameters().get(0).value().size());
            bnOut = Tensor.zeros(convOut.shape());
            gConv = Tensor.zeros(convOut.shape());
            gx = Tensor.zeros(x.shape());
        }
    }
}
