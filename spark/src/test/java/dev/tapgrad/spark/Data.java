package dev.tapgrad.spark;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Tensor;
import java.util.Random;

/** Test data: 12 Gaussian features, 4 classes given by a fixed random linear teacher, so there is something to learn. */
final class Data {
    private Data() {}

    static Dataset classes(int n, long seed) {
        Random r = new Random(seed);
        Random teacher = new Random(99);
        float[][] w = new float[12][4];
        for (float[] row : w) {
            for (int c = 0; c < 4; c++) {
                row[c] = (float) teacher.nextGaussian();
            }
        }
        Tensor x = Tensor.randn(r, n, 12);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 4; c++) {
                double s = 0;
                for (int f = 0; f < 12; f++) {
                    s += x.get(i, f) * w[f][c];
                }
                if (s > best) {
                    best = s;
                    labels[i] = c;
                }
            }
        }
        return Dataset.of(x, Dataset.oneHot(labels, 4));
    }
}
