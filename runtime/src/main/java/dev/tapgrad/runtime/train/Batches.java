package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.Tensor;
import java.util.Random;

/**
 * Cuts a data set into batches in a given order, copying each batch into tensors allocated once:
 * one pair for full batches and one for the last, smaller batch, so the graph sees at most two
 * batch sizes and can keep its own buffers per size.
 */
final class Batches {
    private final Tensor x;
    private final Tensor y;
    private final int n;
    private final int batchSize;
    private final int[] order;
    private final int xRow;
    private final int yRow;
    private final Tensor fullX;
    private final Tensor fullY;
    private final Tensor lastX;
    private final Tensor lastY;

    /** Batches over {@code x} and {@code y} (y may be null for prediction), in example order. */
    Batches(Tensor x, Tensor y, int batchSize) {
        this.x = x;
        this.y = y;
        this.n = x.dim(0);
        this.batchSize = Math.max(1, Math.min(batchSize, n));
        this.order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        this.xRow = n == 0 ? 0 : x.size() / n;
        this.yRow = y == null || n == 0 ? 0 : y.size() / n;
        this.fullX = Tensor.zeros(withBatch(this.batchSize, x.shape()));
        this.fullY = y == null ? null : Tensor.zeros(withBatch(this.batchSize, y.shape()));
        int rest = n % this.batchSize;
        this.lastX = rest == 0 ? fullX : Tensor.zeros(withBatch(rest, x.shape()));
        this.lastY = y == null ? null : rest == 0 ? fullY : Tensor.zeros(withBatch(rest, y.shape()));
    }

    /** Number of batches. */
    int count() {
        return (n + batchSize - 1) / batchSize;
    }

    /** Index of batch {@code k}'s first example in the current order. */
    int start(int k) {
        return k * batchSize;
    }

    /** Examples in batch {@code k}. */
    int size(int k) {
        return Math.min(batchSize, n - k * batchSize);
    }

    /** A Fisher–Yates shuffle of the identity order, so each epoch's order depends only on its Random. */
    void shuffle(Random random) {
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** The current order (live: the next shuffle changes it), batch {@code k} being {@code order[start(k) .. start(k) + size(k))}. */
    int[] order() {
        return order;
    }

    /** Copies batch {@code k} into its buffers; read them with {@link #x(int)} and {@link #y(int)}. */
    void gather(int k) {
        int start = start(k);
        int b = size(k);
        float[] xs = x.buffer();
        float[] bx = x(k).buffer();
        for (int i = 0; i < b; i++) {
            System.arraycopy(xs, order[start + i] * xRow, bx, i * xRow, xRow);
        }
        if (y != null) {
            float[] ys = y.buffer();
            float[] by = y(k).buffer();
            for (int i = 0; i < b; i++) {
                System.arraycopy(ys, order[start + i] * yRow, by, i * yRow, yRow);
            }
        }
    }

    /** The inputs buffer of batch {@code k}. */
    Tensor x(int k) {
        return size(k) == batchSize ? fullX : lastX;
    }

    /** The labels buffer of batch {@code k}, or null without labels. */
    Tensor y(int k) {
        return size(k) == batchSize ? fullY : lastY;
    }

    private static int[] withBatch(int b, int[] shape) {
        int[] s = shape.clone();
        s[0] = b;
        return s;
    }
}
