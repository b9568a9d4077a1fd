package dev.tapgrad.runtime.kernel.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link SmallGemm}'s Vector API path: blocks of four rows of C by three vectors (twelve
 * accumulators, enough to cover the fused multiply-add latency on two ports), then one-vector
 * columns, then a scalar tail, each accumulator summing k in order with {@code fma}. B's row p is
 * read where it lies ({@code b[p·n + j]}), so nothing is packed. Every vector is a local of one
 * method, as in {@link VectorTiles}, so C2 keeps them in registers.
 */
final class VectorSmallGemm implements SmallGemm.Impl {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void product(int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        int j = 0;
        for (; j + 3 * L <= n; j += 3 * L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                block4x3(i, j, n, k, a, b, c, accumulate);
            }
            for (; i < m; i++) {
                block1x3(i, j, n, k, a, b, c, accumulate);
            }
        }
        for (; j + L <= n; j += L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) {
                block4x1(i, j, n, k, a, b, c, accumulate);
            }
            for (; i < m; i++) {
                block1x1(i, j, n, k, a, b, c, accumulate);
            }
        }
        for (; j < n; j++) {
            for (int i = 0; i < m; i++) {
                float s = accumulate ? c[i * n + j] : 0f;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(a[i * k + p], b[p * n + j], s);
                }
                c[i * n + j] = s;
            }
        }
    }

    private static FloatVector start(float[] c, int off, boolean accumulate) {
        return accumulate ? FloatVector.fromArray(S, c, off) : FloatVector.zero(S);
    }

    private static void block4x3(int i, int j, int n, int k, float[] a, float[] b, float[] c, boolean add) {
        int c0 = i * n + j;
        int c1 = c0 + n;
        int c2 = c1 + n;
        int c3 = c2 + n;
        FloatVector s00 = start(c, c0, add), s01 = start(c, c0 + L, add), s02 = start(c, c0 + 2 * L, add);
        FloatVector s10 = start(c, c1, add), s11 = start(c, c1 + L, add), s12 = start(c, c1 + 2 * L, add);
        FloatVector s20 = start(c, c2, add), s21 = start(c, c2 + L, add), s22 = start(c, c2 + 2 * L, add);
        FloatVector s30 = start(c, c3, add), s31 = start(c, c3 + L, add), s32 = start(c, c3 + 2 * L, add);
        int a0 = i * k;
        int a1 = a0 + k;
        int a2 = a1 + k;
        int a3 = a2 + k;
        for (int p = 0, bo = j; p < k; p++, bo += n) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            s00 = x.fma(b0, s00);
            s01 = x.fma(b1, s01);
            s02 = x.fma(b2, s02);
            x = FloatVector.broadcast(S, a[a1 + p]);
            s10 = x.fma(b0, s10);
            s11 = x.fma(b1, s11);
            s12 = x.fma(b2, s12);
            x = FloatVector.broadcast(S, a[a2 + p]);
            s20 = x.fma(b0, s20);
            s21 = x.fma(b1, s21);
            s22 = x.fma(b2, s22);
            x = FloatVector.broadcast(S, a[a3 + p]);
            s30 = x.fma(b0, s30);
            s31 = x.fma(b1, s31);
            s32 = x.fma(b2, s32);
        }
        s00.intoArray(c, c0);
        s01.intoArray(c, c0 + L);
        s02.intoArray(c, c0 + 2 * L);
        s10.intoArray(c, c1);
        s11.intoArray(c, c1 + L);
        s12.intoArray(c, c1 + 2 * L);
        s20.intoArray(c, c2);
        s21.intoArray(c, c2 + L);
        s22.intoArray(c, c2 + 2 * L);
        s30.intoArray(c, c3);
        s31.intoArray(c, c3 + L);
        s32.intoArray(c, c3 + 2 * L);
    }

    private static void block1x3(int i, int j, int n, int k, float[] a, float[] b, float[] c, boolean add) {
        int c0 = i * n + j;
        FloatVector s0 = start(c, c0, add), s1 = start(c, c0 + L, add), s2 = start(c, c0 + 2 * L, add);
        int a0 = i * k;
        for (int p = 0, bo = j; p < k; p++, bo += n) {
            FloatVector x = FloatVector.broadcast(S, a[a0 + p]);
            s0 = x.fma(FloatVector.fromArray(S, b, bo), s0);
            s1 = x.fma(FloatVector.fromArray(S, b, bo + L), s1);
            s2 = x.fma(FloatVector.fromArray(S, b, bo + 2 * L), s2);
        }
        s0.intoArray(c, c0);
        s1.intoArray(c, c0 + L);
        s2.intoArray(c, c0 + 2 * L);
    }

    private static void block4x1(int i, int j, int n, int k, float[] a, float[] b, float[] c, boolean add) {
        int c0 = i * n + j;
        FloatVector s0 = start(c, c0, add), s1 = start(c, c0 + n, add);
        FloatVector s2 = start(c, c0 + 2 * n, add), s3 = start(c, c0 + 3 * n, add);
        int a0 = i * k;
        for (int p = 0, bo = j; p < k; p++, bo += n) {
            FloatVector v = FloatVector.fromArray(S, b, bo);
            s0 = FloatVector.broadcast(S, a[a0 + p]).fma(v, s0);
            s1 = FloatVector.broadcast(S, a[a0 + k + p]).fma(v, s1);
            s2 = FloatVector.broadcast(S, a[a0 + 2 * k + p]).fma(v, s2);
            s3 = FloatVector.broadcast(S, a[a0 + 3 * k + p]).fma(v, s3);
        }
        s0.intoArray(c, c0);
        s1.intoArray(c, c0 + n);
        s2.intoArray(c, c0 + 2 * n);
        s3.intoArray(c, c0 + 3 * n);
    }

    private static void block1x1(int i, int j, int n, int k, float[] a, float[] b, float[] c, boolean add) {
        int c0 = i * n + j;
        FloatVector s = start(c, c0, add);
        for (int p = 0, bo = j; p < k; p++, bo += n) {
            s = FloatVector.broadcast(S, a[i * k + p]).fma(FloatVector.fromArray(S, b, bo), s);
        }
        s.intoArray(c, c0);
    }
}
