package dev.tapgrad.runtime.kernel.conv;

/**
 * The two passes of {@link DirectConv} as another implementation computes them (the Vector API's,
 * {@link VectorConvs}). Same contracts as {@link DirectConv#forward} and {@link DirectConv#backward},
 * plus the per-image arrays DirectConv owns and reduces: the passes write image i's penalty sum to
 * {@code penaltySums[i]} and its kernel-then-bias gradient to {@code partials} at
 * {@code i·(patch·filters + filters)}.
 */
interface ConvPasses {
    /** Takes the (patch, filters) kernel for the following forward and backward calls. */
    void loadKernel(float[] kernel);

    /** As {@link DirectConv#forward}, with each image's Σ|out| or Σout² into {@code penaltySums}. */
    void forward(float[] x, float[] bias, float[] out, float floor, int penalty, int from, int to, int slot,
            double[] penaltySums);

    /**
     * As {@link DirectConv#backward}, with each image's kernel and bias gradients into {@code partials};
     * also adds each image's dL/dx to {@code gx} if not null (overwrites it without {@code accumulate}),
     * which only passes that say {@link #inputGradient} are given.
     */
    void backward(float[] x, float[] out, float[] grad, float[] gx, boolean accumulate, boolean relu, int penalty,
            float scale, int from, int to, int slot, float[] partials);

    /** How many images a call should be given at least where it can (a multiple of one thread's share); 1 by default. */
    default int imagesPerCall() {
        return 1;
    }

    /** Whether the forward or dL/dx runs as Winograd's F(2×2, 3×3) or F(4×4, 3×3) ({@link Winograd}); false by default. */
    default boolean winograd() {
        return false;
    }

    /** Whether {@link #backward} computes dL/dx too; otherwise the layer's im2col path does. */
    default boolean inputGradient() {
        return false;
    }
}
