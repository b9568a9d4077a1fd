package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Tensor;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.QRDecomposition;

/**
 * Keras's {@code Orthogonal} initialiser (gain 1), the default for recurrent kernels. As Keras
 * does for a (rows, cols) matrix: draw a standard normal (max(rows, cols), min(rows, cols)) matrix
 * A, take Q of its thin QR decomposition with the signs that make R's diagonal positive, and use Q
 * (rows ≥ cols) or Qᵀ (rows < cols). So the result has orthonormal columns, or orthonormal rows
 * when it is wide: an LSTM's (u, 4u) recurrent kernel W has W·Wᵀ = I.
 *
 * <p>The QR decomposition is EJML's (Householder, float64); Keras's {@code q *= sign(diag(r))}
 * then makes the result unique, whichever signs the decomposition chose.
 */
final class Orthogonal {
    private Orthogonal() {}

    /** Fills the row-major (rows, cols) {@code matrix} from {@code random}. */
    static void fill(Tensor matrix, int rows, int cols, Random random) {
        int tall = Math.max(rows, cols);
        int narrow = Math.min(rows, cols);
        // A (tall, narrow), drawn row by row as a row-major sample, as Keras draws it.
        DMatrixRMaj a = new DMatrixRMaj(tall, narrow);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = random.nextGaussian();
        }
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(tall, narrow);
        if (!qr.decompose(a)) {
            throw new IllegalStateException("QR decomposition of a " + tall + "×" + narrow + " Gaussian matrix failed");
        }
        DMatrixRMaj q = qr.getQ(null, true); // thin: (tall, narrow)
        DMatrixRMaj r = qr.getR(null, true); // (narrow, narrow)
        float[] m = matrix.buffer();
        for (int j = 0; j < narrow; j++) {
            // A Gaussian matrix has full column rank with probability 1, so R's diagonal has no zero
            // (where Keras's sign(0) = 0 would zero a column).
            double sign = r.get(j, j) < 0 ? -1 : 1;
            for (int i = 0; i < tall; i++) {
                float v = (float) (sign * q.get(i, j));
                if (rows >= cols) {
                    m[i * cols + j] = v;
                } else {
                    m[j * cols + i] = v;
                }
            }
        }
    }
}
