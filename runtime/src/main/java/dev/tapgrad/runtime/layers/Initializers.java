package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Tensor;
import java.util.Random;

/** Keras's default weight initialisers, shared by the layers that have a kernel. */
final class Initializers {
    private Initializers() {}

    /** Glorot (Xavier) uniform: values in ±√(6 / (fanIn + fanOut)), Keras's default for kernels. */
    static void glorotUniform(Tensor kernel, int fanIn, int fanOut, Random random) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        float[] k = kernel.buffer();
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) ((2 * random.nextDouble() - 1) * limit);
        }
    }
}
