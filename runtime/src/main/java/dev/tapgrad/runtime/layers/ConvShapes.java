package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.kernel.conv.ConvGeometry;
import java.util.Arrays;

/** Conv2D's checks of its tensors' shapes, with the messages that name the layer, the call and the shapes. */
final class ConvShapes {
    private ConvShapes() {
    }

    /** Checks x (B, height, width, channels) against out (B, OH, OW, filters); returns B; allocates nothing. */
    static int check(String layer, ConvGeometry geometry, String op, Tensor x, Tensor out) {
        boolean ok = x.rank() == 4 && out.rank() == 4 && x.dim(1) == geometry.height && x.dim(2) == geometry.width
                && x.dim(3) == geometry.channels && out.dim(0) == x.dim(0) && out.dim(1) == geometry.outH && out.dim(2) == geometry.outW
                && out.dim(3) == geometry.filters;
        if (!ok) {
            throw new IllegalArgumentException("Conv2D " + layer + " " + op + ": expected x (B, " + geometry.height + ", "
                    + geometry.width + ", " + geometry.channels + ") and out (B, " + geometry.outH + ", " + geometry.outW + ", " + geometry.filters + "), got x "
                    + Arrays.toString(x.shape()) + " and out " + Arrays.toString(out.shape()));
        }
        return x.dim(0);
    }

    /** Checks a backward's gOut against out and its gx (or null) against x. */
    static void checkGradients(String layer, Tensor x, Tensor out, Tensor gOut, Tensor gx) {
        if (!gOut.sameShape(out)) {
            throw new IllegalArgumentException("Conv2D " + layer + " backward: gOut " + Arrays.toString(gOut.shape())
                    + " must have the shape of out " + Arrays.toString(out.shape()));
        }
        if (gx != null && !gx.sameShape(x)) {
            throw new IllegalArgumentException("Conv2D " + layer + " backward: gx " + Arrays.toString(gx.shape())
                    + " must have the shape of x " + Arrays.toString(x.shape()));
        }
    }
}
