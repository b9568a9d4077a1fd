package dev.tapgrad.runtime.kernel.norm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ImagePasses} on both paths: the statistics combined from per-image sums against two
 * passes in double (channel counts a multiple of the vector width, a divisor of it and neither;
 * images of one row, of a ragged part-period and of a bench layer's 676 rows; a mean far from zero
 * and images whose means differ by far more than their spread), the same bits whichever order and
 * slot the images run in, and the image-by-image dL/dx pass against ChannelNorm's whole-batch one.
 */
class ImagePassesTest {
    private static final int[] CHANNELS = {1, 3, 5, 16, 32};
    private static final int[] ROWS_PER_IMAGE = {1, 7, 33, 676};

    @ParameterizedTest
    @ValueSource(doubles = {0, 1000})
    void statisticsMatchTwoPassesInDouble(double offset) {
        for (ChannelNorm.Impl impl : paths()) {
            for (int c : CHANNELS) {
                for (int rowsPerImage : ROWS_PER_IMAGE) {
                    int images = 5;
                    int rows = images * rowsPerImage;
                    Random random = new Random(c * 31L + rowsPerImage);
                    float[] x = new float[rows * c];
                    for (int i = 0; i < x.length; i++) {
                        // image 3 sits 50 above the others: Chan's update must not lose the spread within images
                        int image = i / (rowsPerImage * c);
                        x[i] = (float) (offset + (image == 3 ? 50 : 0) + random.nextGaussian());
                    }
                    ImagePasses passes = new ImagePasses(new ChannelNorm(c, impl));
                    passes.beginStatistics(images, rowsPerImage);
                    passes.statistics(x, 0, images, 0);
                    double[] mean = new double[c];
                    double[] variance = new double[c];
                    passes.finishStatistics(mean, variance);
                    for (int ch = 0; ch < c; ch++) {
                        double m = 0;
                        for (int r = 0; r < rows; r++) {
                            m += x[r * c + ch];
                        }
                        m /= rows;
                        double v = 0;
                        for (int r = 0; r < rows; r++) {
                            v += (x[r * c + ch] - m) * (x[r * c + ch] - m);
                        }
                        v /= rows;
                        String what = impl.getClass().getSimpleName() + " C=" + c + " rows/image=" + rowsPerImage
                                + " channel " + ch;
                        // as ChannelNormTest: float runs of 32 rows of deviations from a row of the same image
                        assertEquals(m, mean[ch], 1e-6 * (1 + Math.sqrt(v)), what + " mean");
                        assertEquals(v, variance[ch], 1e-5 * v + 1e-12, what + " variance");
                    }
                }
            }
        }
    }

    @Test
    void imagesInAnyOrderAndSlotGiveTheSameBits() {
        int c = 16;
        int rowsPerImage = 37;
        int images = 6;
        Random random = new Random(3);
        float[] x = new float[images * rowsPerImage * c];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (ChannelNorm.Impl impl : paths()) {
            ImagePasses passes = new ImagePasses(new ChannelNorm(c, impl));
            passes.beginStatistics(images, rowsPerImage);
            passes.statistics(x, 0, images, 0);
            double[] mean = new double[c];
            double[] variance = new double[c];
            passes.finishStatistics(mean, variance);
            passes.beginStatistics(images, rowsPerImage);
            int lastSlot = dev.tapgrad.runtime.kernel.parallel.ParallelFor.slots() - 1;
            for (int image = images - 1; image >= 0; image--) {
                passes.statistics(x, image, image + 1, image % 2 == 0 ? 0 : lastSlot);
            }
            double[] mean2 = new double[c];
            double[] variance2 = new double[c];
            passes.finishStatistics(mean2, variance2);
            assertArrayEquals(mean, mean2);
            assertArrayEquals(variance, variance2);
        }
    }

    @Test
    void theImageGradientIsTheWholeBatchPass() {
        for (ChannelNorm.Impl impl : paths()) {
            for (int c : CHANNELS) {
                for (int rowsPerImage : ROWS_PER_IMAGE) {
                    int images = 3;
                    int rows = images * rowsPerImage;
                    Random random = new Random(c * 7L + rowsPerImage);
                    float[] x = gaussians(random, rows * c);
                    float[] dy = gaussians(random, rows * c);
                    float[] center = gaussians(random, c);
                    float[] scale = gaussians(random, c);
                    float[] scaleX = gaussians(random, c);
                    float[] shift = gaussians(random, c);
                    ChannelNorm whole = new ChannelNorm(c, impl);
                    float[] expected = new float[rows * c];
                    whole.addGradient(dy, x, expected, rows, center, scale, scaleX, shift, false);
                    ChannelNorm norm = new ChannelNorm(c, impl);
                    ImagePasses passes = new ImagePasses(norm);
                    norm.prepareGradient(center, scale, scaleX, shift);
                    float[] gx = new float[rows * c];
                    java.util.Arrays.fill(gx, Float.NaN); // only written
                    for (int image = 0; image < images; image++) {
                        passes.gradient(dy, x, gx, image * rowsPerImage, (image + 1) * rowsPerImage, 0);
                    }
                    String what = impl.getClass().getSimpleName() + " C=" + c + " rows/image=" + rowsPerImage;
                    if (rowsPerImage * c % ChannelNorm.Layout.of(c, impl.lanes()).period() == 0) {
                        assertArrayEquals(expected, gx, what); // whole periods: the same loops, the same floats
                    } else {
                        // a part-period's tail is added without a fused multiply-add: within a few float roundings
                        for (int i = 0; i < gx.length; i++) {
                            assertEquals(expected[i], gx[i], 1e-6 * (1 + Math.abs(expected[i])), what + " gx[" + i + "]");
                        }
                    }
                }
            }
        }
    }

    @Test
    void badSizesAreRejected() {
        ImagePasses passes = new ImagePasses(new ChannelNorm(4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> passes.beginStatistics(0, 3));
        assertEquals("ImagePasses: images and rows per image must be positive, got 0 and 3", e.getMessage());
    }

    private static float[] gaussians(Random random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    private static List<ChannelNorm.Impl> paths() {
        List<ChannelNorm.Impl> paths = new ArrayList<>(List.of(ChannelNorm.PORTABLE));
        if (ChannelNorm.ACTIVE != ChannelNorm.PORTABLE) {
            paths.add(ChannelNorm.ACTIVE);
        }
        return paths;
    }
}
