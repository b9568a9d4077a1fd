package dev.tapgrad.spark;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One partition's part of the training set: the examples {@code first .. first + count - 1} of the
 * whole, contiguous, with their rows. The training set is cut into shards once and cached by
 * Spark; every step a shard takes the examples of the batch that fall in its range.
 */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    final int index;
    final int first;
    final int count;
    private final float[] x;
    private final float[] y;
    private final int[] xExample;
    private final int[] yExample;

    private Shard(int index, int first, int count, float[] x, float[] y, int[] xExample, int[] yExample) {
        this.index = index;
        this.first = first;
        this.count = count;
        this.x = x;
        this.y = y;
        this.xExample = xExample;
        this.yExample = yExample;
    }

    /** {@code parts} contiguous shards of sizes differing by at most one; some are empty when parts > N. */
    static List<Shard> split(Dataset data, int parts) {
        int n = data.size();
        int xRow = n == 0 ? 0 : data.x().size() / n;
        int yRow = n == 0 ? 0 : data.y().size() / n;
        int[] xExample = Arrays.copyOfRange(data.x().shape(), 1, data.x().rank());
        int[] yExample = Arrays.copyOfRange(data.y().shape(), 1, data.y().rank());
        List<Shard> shards = new ArrayList<>(parts);
        int start = 0;
        for (int p = 0; p < parts; p++) {
            int count = n / parts + (p < n % parts ? 1 : 0);
            float[] xs = Arrays.copyOfRange(data.x().buffer(), start * xRow, (start + count) * xRow);
            float[] ys = Arrays.copyOfRange(data.y().buffer(), start * yRow, (start + count) * yRow);
            shards.add(new Shard(p, start, count, xs, ys, xExample, yExample));
            start += count;
        }
        return shards;
    }

    /**
     * The examples of {@code order[from .. to)} that lie in this shard, in that order, as inputs
     * and labels; null if there are none.
     */
    Tensor[] gather(int[] order, int from, int to) {
        int taken = 0;
        for (int j = from; j < to; j++) {
            if (order[j] >= first && order[j] < first + count) {
                taken++;
            }
        }
        if (taken == 0) {
            return null;
        }
        int[] local = new int[taken];
        int k = 0;
        for (int j = from; j < to; j++) {
            if (order[j] >= first && order[j] < first + count) {
                local[k++] = order[j] - first;
            }
        }
        return rows(local, 0, taken);
    }

    /** Rows {@code local[from .. to)} (indices inside this shard) as inputs and labels. */
    Tensor[] rows(int[] local, int from, int to) {
        int b = to - from;
        int xRow = size(xExample);
        int yRow = size(yExample);
        float[] bx = new float[b * xRow];
        float[] by = new float[b * yRow];
        for (int i = 0; i < b; i++) {
            System.arraycopy(x, local[from + i] * xRow, bx, i * xRow, xRow);
            System.arraycopy(y, local[from + i] * yRow, by, i * yRow, yRow);
        }
        return new Tensor[] {Tensor.wrap(bx, withBatch(b, xExample)), Tensor.wrap(by, withBatch(b, yExample))};
    }

    private static int size(int[] shape) {
        int s = 1;
        for (int d : shape) {
            s *= d;
        }
        return s;
    }

    private static int[] withBatch(int b, int[] example) {
        int[] s = new int[example.length + 1];
        s[0] = b;
        System.arraycopy(example, 0, s, 1, example.length);
        return s;
    }
}
