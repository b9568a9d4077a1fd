package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Tensor;
import org.junit.jupiter.api.Test;

class FlattenTest {

    @Test
    void flattensChannelsLastInRowMajorOrder() {
        // (1, 2, 2, 2) NHWC: the flat index is (y·W + x)·C + c, as Keras's channels-last Flatten.
        Tensor x = Tensor.zeros(1, 2, 2, 2);
        for (int y = 0; y < 2; y++) {
            for (int xx = 0; xx < 2; xx++) {
                for (int c = 0; c < 2; c++) {
                    x.set(100 * y + 10 * xx + c, 0, y, xx, c);
                }
            }
        }
        Tensor out = Tensor.zeros(1, 8);
        Flatten f = new Flatten("flat");
        f.forward(x, out);
        assertArrayEquals(new float[] {0, 1, 10, 11, 100, 101, 110, 111}, out.buffer());
        assertTrue(f.parameters().isEmpty());
    }

    @Test
    void backwardAddsTheGradientBackInTheInputShape() {
        Tensor gOut = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 6);
        Tensor gx = Tensor.zeros(2, 1, 3, 2);
        gx.fill(0.5f); // a gradient already collected from another consumer
        new Flatten("flat").backward(gOut, gx);
        assertEquals(5.5f, gx.get(0, 0, 2, 0));
        assertEquals(12.5f, gx.get(1, 0, 2, 1));
    }

    @Test
    void mismatchedShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Flatten("flat").forward(Tensor.zeros(2, 3, 3, 1), Tensor.zeros(2, 8)));
        assertEquals("Flatten flat forward: out [2, 8] must be (B, rest) for x [2, 3, 3, 1]", e.getMessage());
    }
}
