package dev.tapgrad.runtime.internal.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.ops.RandomDraws;
import org.junit.jupiter.api.Test;

/**
 * The random ops' numbers: inside an open workspace they are the graph's draws, numbered from 0
 * each step (so a step repeats exactly when its counter-based source does), each draw distinct,
 * into recycled tensors; outside one they still have the documented distributions.
 */
class DrawsTest {
    /** A source whose numbers spell out (draw, index), so the test sees which draw an op took. */
    private static final Draws.Source SPELLED = (draw, index) -> (draw * 1000 + index % 1000) / 1e6;

    @Test
    void eachStepNumbersItsDrawsFromZeroAndRecyclesTheTensors() {
        Workspace w = new Workspace();
        w.drawFrom(new Draws(SPELLED));
        Tensor like = Tensor.zeros(2, 3);
        w.open();
        Tensor a = RandomDraws.randomUniform(like);
        Tensor b = RandomDraws.randomUniform(like);
        float[] first = a.toArray();
        float[] second = b.toArray();
        w.close();
        assertEquals(0f, first[0]);
        assertEquals((float) (1 / 1e6), first[1], "element 1 of draw 0");
        assertEquals((float) (1000 / 1e6), second[0], "the second op in a step takes draw 1");

        w.open();
        Tensor again = RandomDraws.randomUniform(like);
        assertSame(a, again, "the step's k-th result is the previous step's tensor: nothing allocated");
        assertArrayEquals(first, again.toArray(), "the next step starts again at draw 0");
        w.close();
    }

    @Test
    void normalDrawsAreStandardNormal() {
        Tensor z = RandomDraws.randomNormal(Tensor.zeros(200, 100));
        double sum = 0;
        double squares = 0;
        for (float v : z.buffer()) {
            sum += v;
            squares += (double) v * v;
        }
        double n = z.size();
        double mean = sum / n;
        // standard errors over 20,000 values: 0.007 for the mean, 0.01 for the variance
        assertEquals(0, mean, 0.04);
        assertEquals(1, squares / n - mean * mean, 0.05);
    }

    @Test
    void uniformDrawsLieInTheUnitIntervalWithMeanOneHalf() {
        Tensor u = RandomDraws.randomUniform(Tensor.zeros(200, 100));
        double sum = 0;
        for (float v : u.buffer()) {
            assertTrue(v >= 0 && v < 1, "in [0, 1): " + v);
            sum += v;
        }
        assertEquals(0.5, sum / u.size(), 0.01);
    }

    @Test
    void eagerDrawsDifferFromCallToCall() {
        Tensor like = Tensor.zeros(4);
        assertFalse(java.util.Arrays.equals(RandomDraws.randomNormal(like).toArray(),
                RandomDraws.randomNormal(like).toArray()));
    }
}
