package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Tensor;
import java.util.Random;

/**
 * Keras's {@code Orthogonal} initialiser (gain 1), the default for recurrent kernels. As Keras
 * does for a (rows, cols) matrix: draw a standard normal (max(rows, cols), min(rows, cols)) matrix
 * A, take Q of its thin QR decomposition with the signs that make R's diagonal positive, and use Q
 * (rows ≥ cols) or Qᵀ (rows < cols). So the result has orthonormal columns, or orthonormal rows
 * when it is wide: an LSTM's (u, 4u) recurrent kernel W has W·Wᵀ = I.
 *
 * <p>Q comes from modified Gram–Schmidt in double, run twice per column so that it stays
 * orthogonal to rounding; Gram–Schmidt yields R's diagonal positive by construction, which is
 * exactly Keras's {@code q *= sign(diag(r))} correction of a Householder QR.
 */
final class Orthogonal {
    private Orthogonal() {}

    /** Fills the row-major (rows, cols) {@code matrix} from {@code random}. */
    static void fill(Tensor matrix, int rows, int cols, Random random) {
        int tall = Math.max(rows, cols);
        int narrow = Math.min(rows, cols);
        // q[j] is column j of the (tall, narrow) matrix A, drawn row by row as a row-major sample.
        double[][] q = new double[narrow][tall];
        for (int r = 0; r < tall; r++) {
            for (int j = 0; j < narrow; j++) {
                q[j][r] = random.nextGaussian();
            }
        }
        for (int j = 0; j < narrow; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < j; i++) {
                    double dot = 0;
                    for (int r = 0; r < tall; r++) {
                        dot += q[i][r] * q[j][r];
                    }
                    for (int r = 0; r < tall; r++) {
                        q[j][r] -= dot * q[i][r];
                    }
                }
            }
            double norm = 0;
            for (int r = 0; r < tall; r++) {
                norm += q[j][r] * q[j][r];
            }
            // A Gaussian matrix has full column rank with probability 1, so norm > 0.
            norm = Math.sqrt(norm);
            for (int r = 0; r < tall; r++) {
                q[j][r] /= norm;
            }
        }
        float[] m = matrix.buffer();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r * cols + c] = (float) (rows < cols ? q[r][c] : q[c][r]);
            }
        }
    }
}
