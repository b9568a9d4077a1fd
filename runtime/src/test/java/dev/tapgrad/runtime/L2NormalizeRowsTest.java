package dev.tapgrad.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapgrad.runtime.ops.LinearAlgebra;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * l2Normalize's adjoint along the last axis (the contiguous rows' loop) gives the bits of the
 * strided loop, which the transposed problem along axis 0 takes, including a zero row (the floor).
 */
class L2NormalizeRowsTest {
    @Test
    void contiguousRowsGiveTheStridedLoopsBits() {
        Random r = new Random(11);
        int rows = 5;
        int cols = 37;
        Tensor x = Tensor.randn(r, rows, cols);
        Tensor g = Tensor.randn(r, rows, cols);
        for (int j = 0; j < cols; j++) {
            x.buffer()[2 * cols + j] = 0f; // a zero row: n below the floor
        }
        Tensor xt = LinearAlgebra.transpose(x);
        Tensor gt = LinearAlgebra.transpose(g);
        Tensor rowsPath = LinearAlgebra.l2NormalizeAdjoint(x, 1, LinearAlgebra.l2Normalize(x, 1), g);
        Tensor strided = LinearAlgebra.l2NormalizeAdjoint(xt, 0, LinearAlgebra.l2Normalize(xt, 0), gt);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                assertEquals(Float.floatToRawIntBits(strided.buffer()[j * rows + i]),
                        Float.floatToRawIntBits(rowsPath.buffer()[i * cols + j]), "at " + i + ", " + j);
            }
        }
        // and the values are the formula's: g/√n − x·(Σ g·x)/n^{3/2}, g/√1e-12 on the zero row
        double n = 0;
        double gx = 0;
        for (int j = 0; j < cols; j++) {
            n += (double) x.buffer()[j] * x.buffer()[j];
            gx += (double) g.buffer()[j] * x.buffer()[j];
        }
        double expected = g.buffer()[3] / Math.sqrt(n) - x.buffer()[3] * gx / Math.pow(n, 1.5);
        assertEquals(expected, rowsPath.buffer()[3], 1e-6 * Math.abs(expected) + 1e-7);
        assertEquals(g.buffer()[2 * cols + 4] / Math.sqrt(1e-12), rowsPath.buffer()[2 * cols + 4], 1e-6 * 1e6);
    }
}
