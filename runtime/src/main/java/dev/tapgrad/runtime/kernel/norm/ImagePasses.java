package dev.tapgrad.runtime.kernel.norm;

import dev.tapgrad.runtime.kernel.parallel.ParallelFor;

/**
 * A {@link ChannelNorm}'s statistics and dL/dx pass run image by image inside the loop of the
 * layer that writes its input and reads its dL/dx (a convolution feeding a BatchNorm): each
 * image's output is summed while it is still in that thread's cache, and dL/dx is written just
 * before the producer's backward reads it, instead of in passes of their own over the whole
 * batch. Rows are channels-last, {@code rowsPerImage} rows of {@code channels} floats an image.
 *
 * <p>Statistics: every image's sums are shifted by the image's own first row (as ChannelNorm
 * shifts by the batch's first row, so that a large mean does not cancel the variance), taken in
 * the same float runs as {@link ChannelNorm#statistics}, and the images' means and centered sums
 * of squares are then combined in image order in double (Chan et al.'s pairwise update): the
 * same result for any thread count, within rounding of ChannelNorm's (another order of addition).
 * The dL/dx pass is ChannelNorm's own over the images' rows, with the coefficients of {@link
 * ChannelNorm#prepareGradient}: where an image is a whole number of ChannelNorm's periods (its
 * vector loops, no scalar tail), the same floats as the whole-batch pass. Allocates only when the
 * image count grows.
 */
public final class ImagePasses {
    private final ChannelNorm norm;
    private final int channels;
    /** Per slot, the image's first row repeated to the period: the shift of its sums. */
    private final float[][] shifts;
    /** Per image, two shifted sums per channel, and the image's first row. */
    private double[] sums = new double[0];
    private float[] firstRows = new float[0];
    private int images;
    private int rowsPerImage;

    /** The image-by-image passes of {@code norm}. */
    public ImagePasses(ChannelNorm norm) {
        this.norm = norm;
        this.channels = norm.channels;
        this.shifts = new float[ParallelFor.slots()][norm.layout.period()];
    }

    /**
     * Starts the statistics of {@code images} images of {@code rowsPerImage} rows; then {@link
     * #statistics} for every image (in any order, on any slot), then {@link #finishStatistics}.
     */
    public void beginStatistics(int images, int rowsPerImage) {
        if (images <= 0 || rowsPerImage <= 0) {
            throw new IllegalArgumentException("ImagePasses: images and rows per image must be positive, got "
                    + images + " and " + rowsPerImage);
        }
        this.images = images;
        this.rowsPerImage = rowsPerImage;
        if (firstRows.length < images * channels) {
            // only when the batch grows, so steady-state steps allocate nothing
            sums = new double[images * 2 * channels];
            firstRows = new float[images * channels];
        }
    }

    /** Sums images [from, to) of x, which their producer has just written; {@code slot} is the caller's ParallelFor slot. */
    public void statistics(float[] x, int from, int to, int slot) {
        int n = rowsPerImage * channels;
        float[] k = shifts[slot];
        for (int image = from; image < to; image++) {
            int start = image * n;
            norm.expand(k, x, start);
            System.arraycopy(x, start, firstRows, image * channels, channels);
            int sOff = image * 2 * channels;
            java.util.Arrays.fill(sums, sOff, sOff + 2 * channels, 0);
            norm.impl.shiftedSums(x, start, start + n, norm.layout, k, norm.work[slot], sums, sOff);
        }
    }

    /** Per channel, the mean and the biased variance of all the images, combined in image order (in double). */
    public void finishStatistics(double[] mean, double[] variance) {
        double n = rowsPerImage;
        for (int c = 0; c < channels; c++) {
            double count = 0;
            double m = 0;
            double m2 = 0;
            for (int image = 0; image < images; image++) {
                int sOff = image * 2 * channels;
                double s1 = sums[sOff + c];
                double s2 = sums[sOff + channels + c];
                double imageMean = firstRows[image * channels + c] + s1 / n;
                double imageM2 = Math.max(0, s2 - s1 * s1 / n);
                double total = count + n;
                double delta = imageMean - m;
                m += delta * n / total;
                m2 += imageM2 + delta * delta * count * n / total;
                count = total;
            }
            mean[c] = m;
            variance[c] = Math.max(0, m2 / count);
        }
    }

    /**
     * {@code gx = scaleDy·dy + scaleX·(x − center) + shift} (dy with the penalty's gradient, if
     * any) over rows [fromRow, toRow), with the coefficients of the latest {@link
     * ChannelNorm#prepareGradient}; gx is only written.
     */
    public void gradient(float[] dy, float[] x, float[] gx, int fromRow, int toRow, int slot) {
        norm.impl.addGradient(dy, x, gx, fromRow * channels, toRow * channels, norm.layout, norm.center, norm.scale,
                norm.scaleX, norm.shift, norm.work[slot], false, norm.penalty, norm.penaltyScale, norm.outScale,
                norm.outShift);
    }
}
