package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.kernel.norm.ImagePasses;

/**
 * The BatchNorm a Conv2D feeds ({@link Conv2D#feedBatchNorm}) and, per call, what the
 * convolution's image loops do for it: the forward sums each image it has just written for the
 * BatchNorm's statistics, the backward writes each image's dL/dout (the BatchNorm's dL/dx) just
 * before it reads it. Where the convolution's passes cannot take a part (the im2col path, an
 * activation or penalty applied in a pass of its own), the BatchNorm's whole-batch pass runs as
 * before.
 */
final class BatchNormFeed {
    /** No BatchNorm fed: every step does nothing. */
    static final BatchNormFeed NONE = new BatchNormFeed();

    private final BatchNorm next;
    private final ImagePasses passes;
    /** Rows (output pixels) per image. */
    private final int pixels;
    /** Whether the forward in progress sums its images. */
    private boolean summing;
    /** The dy whose dL/dx the backward in progress writes image by image; null for none. */
    private float[] dy;
    /** Images per call of the convolution's passes in the call in progress: its own grain when fed, else all. */
    private int step = Integer.MAX_VALUE;

    private BatchNormFeed() {
        this.next = null;
        this.passes = null;
        this.pixels = 0;
    }

    BatchNormFeed(BatchNorm next, int filters, int pixels) {
        this.next = next;
        this.passes = next.fedBy(filters);
        this.pixels = pixels;
    }

    /**
     * Before a forward of {@code images} images; {@code inLoop}: the images' final outputs are
     * written in the loop, whose passes take {@code grain} images a call.
     */
    void beforeForward(int images, boolean inLoop, int grain) {
        summing = next != null && inLoop && images > 0 && next.wantsStatistics();
        step = summing ? grain : Integer.MAX_VALUE;
        if (summing) {
            passes.beginStatistics(images, pixels);
        }
    }

    /**
     * Where the convolution's call on images [from, to) of the loop in progress ends: after its
     * passes' grain of images when fed (the BatchNorm's part follows each call), else at {@code to}.
     */
    int end(int from, int to) {
        return to - from > step ? from + step : to;
    }

    /** In the forward's loop, after images [from, to) of out are final. */
    void forwardImages(float[] out, int from, int to, int slot) {
        if (summing) {
            passes.statistics(out, from, to, slot);
        }
    }

    /** After the forward: tells the BatchNorm what was written and summed. */
    void afterForward(float[] out, int images) {
        step = Integer.MAX_VALUE;
        if (next == null) {
            return;
        }
        next.fed(out, images * pixels, summing);
        summing = false;
    }

    /**
     * Before a backward whose dL/dout is {@code gOut}: takes a dL/dx the BatchNorm left to it,
     * written in the loop when {@code inLoop} (nothing reads gOut before the loop; its passes take
     * {@code grain} images a call), else now.
     */
    void beforeBackward(float[] gOut, boolean inLoop, int grain) {
        float[] pending = next == null ? null : next.takeDeferredGradient(gOut);
        if (pending != null && !inLoop) {
            next.writeDeferredGradient(pending, gOut);
            pending = null;
        }
        dy = pending;
        step = pending != null ? grain : Integer.MAX_VALUE;
    }

    /** In the backward's loop, before images [from, to) of grad are read. */
    void backwardImages(float[] out, float[] grad, int from, int to, int slot) {
        if (dy != null) {
            passes.gradient(dy, out, grad, from * pixels, to * pixels, slot);
        }
    }

    /** After the backward's loop. */
    void afterBackward() {
        dy = null;
        step = Integer.MAX_VALUE;
    }
}
