package dev.tapgrad.runtime.kernel.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The skinny kernel's inner loops ({@link SkinnyKernel}): rows of P, one vector each, as
 * {@code row += op(A)[i, p] · B[p]} over a part of k, where {@code B[p]}, the L values at
 * {@code b[p·L]}, holds row p of the part of op(B) in its first N lanes (the others are
 * anything: their sums are never read). Each row's sum starts at zero and adds its k in order, so
 * its bits depend only on the part of k, never on the thread or the row's position in a chunk.
 * The rows are written to {@code t} N values apart, in order, each vector's lanes past N
 * overwritten by the next row (the last row's overhang by nothing that is read).
 *
 * <p>As in {@link VectorTiles}, every vector is a local of one method, written out per row, so that
 * C2 keeps them in registers.
 */
final class SkinnyTiles {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes of a vector: the widest P this kernel computes. */
    static final int L = S.length();
    /**
     * Rows per tile: eight independent chains of fused multiply-adds cover the latency of two FMA
     * units (4 cycles each), and each packed row of op(B) is loaded once for eight.
     */
    static final int MR = 8;

    private SkinnyTiles() {}

    /** Copies L floats: one vector instead of a call to System.arraycopy, which costs more for so few. */
    static void copy(float[] src, int from, float[] dst, int to) {
        FloatVector.fromArray(S, src, from).intoArray(dst, to);
    }

    /**
     * Eight rows of P into {@code t[r·n …]}, op(A)[i + r, p] at {@code a[ao + r·rowStep + p]}
     * (A stored as is). Every index moves by a constant per p, so that C2 hoists the bounds
     * checks out of the loop (measured: a variable step per p, which it cannot, halved the speed).
     */
    static void rows8(int kc, float[] a, int ao, int rowStep, float[] b, float[] t, int n) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        int a1 = ao + rowStep, a2 = a1 + rowStep, a3 = a2 + rowStep;
        int a4 = a3 + rowStep, a5 = a4 + rowStep, a6 = a5 + rowStep, a7 = a6 + rowStep;
        for (int p = 0; p < kc; p++) {
            FloatVector bv = FloatVector.fromArray(S, b, p * L);
            c0 = bv.fma(FloatVector.broadcast(S, a[ao + p]), c0);
            c1 = bv.fma(FloatVector.broadcast(S, a[a1 + p]), c1);
            c2 = bv.fma(FloatVector.broadcast(S, a[a2 + p]), c2);
            c3 = bv.fma(FloatVector.broadcast(S, a[a3 + p]), c3);
            c4 = bv.fma(FloatVector.broadcast(S, a[a4 + p]), c4);
            c5 = bv.fma(FloatVector.broadcast(S, a[a5 + p]), c5);
            c6 = bv.fma(FloatVector.broadcast(S, a[a6 + p]), c6);
            c7 = bv.fma(FloatVector.broadcast(S, a[a7 + p]), c7);
        }
        c0.intoArray(t, 0);
        c1.intoArray(t, n);
        c2.intoArray(t, 2 * n);
        c3.intoArray(t, 3 * n);
        c4.intoArray(t, 4 * n);
        c5.intoArray(t, 5 * n);
        c6.intoArray(t, 6 * n);
        c7.intoArray(t, 7 * n);
    }

    /** One row of P into {@code t[0 …]}. */
    static void rows1(int kc, float[] a, int ao, float[] b, float[] t) {
        FloatVector c0 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            c0 = FloatVector.fromArray(S, b, p * L).fma(FloatVector.broadcast(S, a[ao + p]), c0);
        }
        c0.intoArray(t, 0);
    }

    /** Columns of op(B) per pass of {@link #columns4}, {@link #columns2}, {@link #columns1}: 20, 10 or 5 accumulators. */
    static final int G = 5;

    /**
     * Rows [q, q + 2L) of P where op(A) is A stored transposed (P[q, c] = Σ_p A[p, q]·op(B)[p, c], the
     * weight gradient Xᵀ·dY): each of A's rows gives two vectors of P's rows (lanes = rows q …),
     * multiplied by a broadcast value of op(B) per column, five columns a pass, so that A is read
     * in place along its rows instead of copied (SkinnyBlock's copy of op(A) in runs of L rows
     * was about a third of the head's time). {@code a[ao + p·rowStep]} starts row p's run;
     * {@code b[p·np + c]} is op(B)[p, c] (zero for c from N to np). Column c of the tile goes to
     * {@code s[c·2L …]}. Each value sums its k in order with one fused multiply-add per k from
     * zero: the bits of {@link #rows8} on a copy of A stored as is.
     */
    static void columns2(int kc, float[] a, int ao, int rowStep, float[] b, int np, float[] s) {
        for (int g = 0; g < np; g += G) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
            FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00;
            for (int p = 0, at = ao, q = g; p < kc; p++, at += rowStep, q += np) {
                FloatVector x0 = FloatVector.fromArray(S, a, at);
                FloatVector x1 = FloatVector.fromArray(S, a, at + L);
                FloatVector v = FloatVector.broadcast(S, b[q]);
                c00 = x0.fma(v, c00);
                c01 = x1.fma(v, c01);
                v = FloatVector.broadcast(S, b[q + 1]);
                c10 = x0.fma(v, c10);
                c11 = x1.fma(v, c11);
                v = FloatVector.broadcast(S, b[q + 2]);
                c20 = x0.fma(v, c20);
                c21 = x1.fma(v, c21);
                v = FloatVector.broadcast(S, b[q + 3]);
                c30 = x0.fma(v, c30);
                c31 = x1.fma(v, c31);
                v = FloatVector.broadcast(S, b[q + 4]);
                c40 = x0.fma(v, c40);
                c41 = x1.fma(v, c41);
            }
            int d = g * 2 * L;
            c00.intoArray(s, d);
            c01.intoArray(s, d + L);
            c10.intoArray(s, d + 2 * L);
            c11.intoArray(s, d + 3 * L);
            c20.intoArray(s, d + 4 * L);
            c21.intoArray(s, d + 5 * L);
            c30.intoArray(s, d + 6 * L);
            c31.intoArray(s, d + 7 * L);
            c40.intoArray(s, d + 8 * L);
            c41.intoArray(s, d + 9 * L);
        }
    }

    /**
     * {@link #columns2} for 4L rows, column c at {@code s[c·4L …]}: 20 accumulators, each load of A
     * serving five columns. Preferred: each pass over A's k rows takes 256 bytes of each row instead
     * of 128, which halves the passes over A's row streams (measured, 18432 × 10 × 64 TN, one
     * thread: 54 GFLOP/s with {@link #columns2} alone, 73 with this).
     */
    static void columns4(int kc, float[] a, int ao, int rowStep, float[] b, int np, float[] s) {
        for (int g = 0; g < np; g += G) {
            FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
            FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
            FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
            FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
            FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
            for (int p = 0, at = ao, q = g; p < kc; p++, at += rowStep, q += np) {
                FloatVector x0 = FloatVector.fromArray(S, a, at);
                FloatVector x1 = FloatVector.fromArray(S, a, at + L);
                FloatVector x2 = FloatVector.fromArray(S, a, at + 2 * L);
                FloatVector x3 = FloatVector.fromArray(S, a, at + 3 * L);
                FloatVector v0 = FloatVector.broadcast(S, b[q]);
                c00 = x0.fma(v0, c00);
                c01 = x1.fma(v0, c01);
                c02 = x2.fma(v0, c02);
                c03 = x3.fma(v0, c03);
                FloatVector v1 = FloatVector.broadcast(S, b[q + 1]);
                c10 = x0.fma(v1, c10);
                c11 = x1.fma(v1, c11);
                c12 = x2.fma(v1, c12);
                c13 = x3.fma(v1, c13);
                FloatVector v2 = FloatVector.broadcast(S, b[q + 2]);
                c20 = x0.fma(v2, c20);
                c21 = x1.fma(v2, c21);
                c22 = x2.fma(v2, c22);
                c23 = x3.fma(v2, c23);
                FloatVector v3 = FloatVector.broadcast(S, b[q + 3]);
                c30 = x0.fma(v3, c30);
                c31 = x1.fma(v3, c31);
                c32 = x2.fma(v3, c32);
                c33 = x3.fma(v3, c33);
                FloatVector v4 = FloatVector.broadcast(S, b[q + 4]);
                c40 = x0.fma(v4, c40);
                c41 = x1.fma(v4, c41);
                c42 = x2.fma(v4, c42);
                c43 = x3.fma(v4, c43);
            }
            int d = g * 4 * L;
            c00.intoArray(s, d + 0 * L);
            c01.intoArray(s, d + 1 * L);
            c02.intoArray(s, d + 2 * L);
            c03.intoArray(s, d + 3 * L);
            c10.intoArray(s, d + 4 * L);
            c11.intoArray(s, d + 5 * L);
            c12.intoArray(s, d + 6 * L);
            c13.intoArray(s, d + 7 * L);
            c20.intoArray(s, d + 8 * L);
            c21.intoArray(s, d + 9 * L);
            c22.intoArray(s, d + 10 * L);
            c23.intoArray(s, d + 11 * L);
            c30.intoArray(s, d + 12 * L);
            c31.intoArray(s, d + 13 * L);
            c32.intoArray(s, d + 14 * L);
            c33.intoArray(s, d + 15 * L);
            c40.intoArray(s, d + 16 * L);
            c41.intoArray(s, d + 17 * L);
            c42.intoArray(s, d + 18 * L);
            c43.intoArray(s, d + 19 * L);
        }
    }

    /** {@link #columns2} for L rows: column c at {@code s[c·L …]}. */
    static void columns1(int kc, float[] a, int ao, int rowStep, float[] b, int np, float[] s) {
        for (int g = 0; g < np; g += G) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0;
            for (int p = 0, at = ao, q = g; p < kc; p++, at += rowStep, q += np) {
                FloatVector x0 = FloatVector.fromArray(S, a, at);
                c0 = x0.fma(FloatVector.broadcast(S, b[q]), c0);
                c1 = x0.fma(FloatVector.broadcast(S, b[q + 1]), c1);
                c2 = x0.fma(FloatVector.broadcast(S, b[q + 2]), c2);
                c3 = x0.fma(FloatVector.broadcast(S, b[q + 3]), c3);
                c4 = x0.fma(FloatVector.broadcast(S, b[q + 4]), c4);
            }
            int d = g * L;
            c0.intoArray(s, d);
            c1.intoArray(s, d + L);
            c2.intoArray(s, d + 2 * L);
            c3.intoArray(s, d + 3 * L);
            c4.intoArray(s, d + 4 * L);
        }
    }

    /** {@code s[e] += s[part·size + e]} for parts 1 … parts − 1 in order, e below size. */
    static void sumParts(float[] s, int size, int parts) {
        int e = 0;
        for (int bound = S.loopBound(size); e < bound; e += L) {
            FloatVector v = FloatVector.fromArray(S, s, e);
            for (int part = 1, at = size + e; part < parts; part++, at += size) {
                v = v.add(FloatVector.fromArray(S, s, at));
            }
            v.intoArray(s, e);
        }
        for (; e < size; e++) {
            float v = s[e];
            for (int part = 1, at = size + e; part < parts; part++, at += size) {
                v += s[at];
            }
            s[e] = v;
        }
    }
}
