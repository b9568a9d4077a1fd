package dev.tapgrad.samples.vae;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.io.AtomicFiles;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * What the decoder makes of the latent plane, as Keras's VAE example plots it: an {@code n × n} grid
 * of latent points over {@code [−scale, scale]²}, the first coordinate growing to the right and the
 * second growing upwards, each decoded to a 28 × 28 image, tiled into one grey-scale PNG.
 */
public final class LatentGrid {
    /** Side of one image in pixels. */
    public static final int SIDE = 28;

    private LatentGrid() {}

    /**
     * The latent points of the grid, (n², 2), row by row from the top: row {@code i}, column
     * {@code j} is {@code (x_j, y_{n−1−i})} with {@code x, y = linspace(−scale, scale, n)}.
     */
    public static Tensor points(int n, double scale) {
        if (n < 2 || !(scale > 0)) {
            throw new IllegalArgumentException("a latent grid needs n >= 2 and scale > 0, got n " + n + ", scale " + scale);
        }
        float[] z = new float[n * n * 2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                z[2 * (i * n + j)] = (float) (-scale + 2 * scale * j / (n - 1));
                z[2 * (i * n + j) + 1] = (float) (scale - 2 * scale * i / (n - 1));
            }
        }
        return Tensor.of(z, n * n, 2);
    }

    /**
     * The decoder of a trained {@link Vae} on {@code z} (N, 2), run eagerly with the same ops the
     * graph uses: {@code sigmoid(relu(z · dec + b) · out + b)}, (N, 784) pixels in [0, 1].
     */
    public static Tensor decode(Vae vae, Tensor z) {
        Tensor h = relu(add(matmul(z, vae.dec.kernel()), vae.dec.bias()));
        return sigmoid(add(matmul(h, vae.out.kernel()), vae.out.bias()));
    }

    /** {@code images} (n², 784), row by row, tiled into an {@code 28n × 28n} grey-scale image (1 is white). */
    public static BufferedImage tile(Tensor images, int n) {
        if (images.shape().length != 2 || images.dim(0) != n * n || images.dim(1) != SIDE * SIDE) {
            throw new IllegalArgumentException("tile needs (" + n * n + ", " + SIDE * SIDE + ") images, got "
                    + java.util.Arrays.toString(images.shape()));
        }
        BufferedImage png = new BufferedImage(n * SIDE, n * SIDE, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = png.getRaster();
        float[] v = images.buffer();
        for (int k = 0; k < n * n; k++) {
            int top = (k / n) * SIDE;
            int left = (k % n) * SIDE;
            for (int p = 0; p < SIDE * SIDE; p++) {
                double value = Math.min(Math.max(v[k * SIDE * SIDE + p], 0), 1); // NaN shows black
                raster.setSample(left + p % SIDE, top + p / SIDE, 0, (int) Math.round(255 * value));
            }
        }
        return png;
    }

    /**
     * Writes {@code image} as a PNG to {@code file}: into a temporary file beside it, forced to
     * disk, then moved over {@code file} in one step, so a crash leaves the old file or the new one.
     */
    public static void write(BufferedImage image, Path file) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this JVM (javax.imageio)");
            }
        });
    }
}
