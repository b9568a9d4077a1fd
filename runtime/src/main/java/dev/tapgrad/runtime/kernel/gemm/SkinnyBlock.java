package dev.tapgrad.runtime.kernel.gemm;

/**
 * One thread's part in a {@link GemmJob} of the {@link SkinnyKernel}, and the buffers it keeps
 * from product to product (grown, never shrunk: nothing is allocated once they fit).
 *
 * <p>For each chunk (rows [ib, ie) of P and a part [k0, k1) of k) it copies op(B)'s rows k0 … k1
 * into rows of one vector each, zero beyond P's N columns, unless it already holds them from its
 * previous chunk of the same product; runs {@link SkinnyTiles} over the rows, eight at a time,
 * then one at a time; and adds each tile's N-column rows to C (or its columns, when P is Cᵀ), or
 * stores them in the part's slot of {@link GemmJob#partials} when k is cut into parts.
 */
final class SkinnyBlock implements GemmWorker {
    private static final int L = SkinnyTiles.L;
    private static final int MR = SkinnyTiles.MR;

    private final GemmJob local = new GemmJob();
    /** op(B)[k0 + p, j] at p·L + j; lanes past N hold anything. */
    private float[] packedB = new float[0];
    /** Most rows of op(A) copied at a time when A is stored transposed. */
    private static final int ROWS_A = 256;
    /** Most floats of such a copy (256 KB, in L2). */
    private static final int BLOCK_A = 1 << 16;

    /**
     * A copy of rows of op(A) when A is stored transposed: tile t (rows i0 + t·L …) at t·kc·L,
     * op(A)[i0 + t·L + r, k0 + p] at p·L + r within it.
     */
    private float[] packedA = new float[0];
    /** One tile's rows, N values each, back to back (the last row's vector overhangs). */
    private final float[] tile = new float[MR * L + L];
    /** What packedB holds: a product's slice id and its first k; -1 for nothing. */
    private long packedId = -1;
    private int packedK0 = -1;

    @Override
    public GemmJob local() {
        return local;
    }

    @Override
    public void run(GemmJob job) {
        int kc = Math.min(job.kPart, job.bigK);
        if ((long) kc * L > packedB.length) {
            packedB = new float[Math.max(kc * L, Math.min(2 * packedB.length, SkinnyKernel.KPART * L * 8))];
            packedId = -1;
        }
        int chunk;
        while ((chunk = job.next.getAndIncrement()) < job.chunks) {
            int part = chunk / job.rowBlocks;
            int ib = chunk % job.rowBlocks * job.mb;
            int k0 = part * job.kPart;
            chunk(job, ib, Math.min(job.bigM, ib + job.mb), k0, Math.min(job.bigK, k0 + job.kPart), part);
        }
    }

    private void chunk(GemmJob job, int ib, int ie, int k0, int k1, int part) {
        int kc = k1 - k0;
        int n = job.bigN;
        if (packedId != job.id || packedK0 != k0) {
            pack(job.transB, n, job.bigK, job.b, k0, kc);
            packedId = job.id;
            packedK0 = k0;
        }
        float[] b = packedB;
        float[] t = tile;
        boolean parts = job.kParts > 1;
        int at = part * job.bigM * n;
        if (job.transA) {
            // op(A)[i, q] = a[q·M + i]: read in place, a tile's rows of one q would be a cache line
            // per q, M floats apart, which a long M maps onto a few L1 sets (21632 floats apart: 8
            // of 64) and the hardware does not prefetch. Copied instead, a block of up to
            // BLOCK_A floats at a time, q by q (runs of a that the prefetcher follows), into L-row
            // tiles whose values of one q are neighbours; rows past M zero.
            int m = job.bigM;
            int width = Math.max(L, Math.min(ROWS_A, BLOCK_A / kc / L * L));
            float[] ap = packA(kc * width);
            float[] a = job.a;
            for (int i0 = ib; i0 < ie; i0 += width) {
                int w = Math.min(width, ie - i0);
                for (int p = 0, src = (k0) * m + i0; p < kc; p++, src += m) {
                    for (int r0 = 0, d = p * L; r0 < w; r0 += L, d += kc * L) {
                        int h = Math.min(L, w - r0);
                        if (h == L) {
                            SkinnyTiles.copy(a, src + r0, ap, d);
                        } else {
                            for (int r = 0; r < L; r++) {
                                ap[d + r] = r < h ? a[src + r0 + r] : 0f;
                            }
                        }
                    }
                }
                for (int r0 = 0, d = 0; r0 < w; r0 += L, d += kc * L) {
                    int h = Math.min(L, w - r0);
                    for (int r = 0; r < h; r += MR) {
                        SkinnyTiles.rows8Packed(kc, ap, d + r, b, t, n);
                        rows(job, t, i0 + r0 + r, Math.min(MR, h - r), parts, at);
                    }
                }
            }
            return;
        }
        // op(A)[i, q] = a[i·K + q]: each of a tile's rows is a run of a, read in place.
        int rowStep = job.bigK;
        float[] a = job.a;
        int i = ib;
        for (; i + MR <= ie; i += MR) {
            SkinnyTiles.rows8(kc, a, i * rowStep + k0, rowStep, b, t, n);
            rows(job, t, i, MR, parts, at);
        }
        for (; i < ie; i++) {
            SkinnyTiles.rows1(kc, a, i * rowStep + k0, b, t);
            rows(job, t, i, 1, parts, at);
        }
    }

    /** Rows [i, i + h) of P from the tile: into C, or at {@code at} in the partials when k is in parts. */
    private static void rows(GemmJob job, float[] t, int i, int h, boolean parts, int at) {
        if (parts) {
            System.arraycopy(t, 0, job.partials, at + i * job.bigN, h * job.bigN);
        } else {
            emit(job, t, i, h);
        }
    }

    /** The buffer for a copy of op(A) of {@code size} floats. */
    private float[] packA(int size) {
        if (packedA.length < size) {
            packedA = new float[Math.max(size, Math.min(2 * packedA.length, BLOCK_A))];
        }
        return packedA;
    }

    /**
     * Rows [i0, i0 + h) of P, held N values per row from 0 in {@code t}, into C: added when the
     * job accumulates, else stored; into C's columns when P is Cᵀ.
     */
    static void emit(GemmJob job, float[] t, int i0, int h) {
        float[] c = job.c;
        int n = job.bigN;
        boolean add = job.accumulate;
        if (!job.transposedOut) {
            int at = i0 * n;
            int size = h * n;
            if (add) {
                for (int e = 0; e < size; e++) {
                    c[at + e] += t[e];
                }
            } else {
                System.arraycopy(t, 0, c, at, size);
            }
            return;
        }
        // P[i, j] is C[j, i]: for each of C's rows, the tile's h values are neighbours.
        int m = job.bigM;
        for (int j = 0; j < n; j++) {
            int at = j * m + i0;
            if (add) {
                for (int r = 0, s = j; r < h; r++, s += n) {
                    c[at + r] += t[s];
                }
            } else {
                for (int r = 0, s = j; r < h; r++, s += n) {
                    c[at + r] = t[s];
                }
            }
        }
    }

    /**
     * Copies op(B)[k0 … k0 + kc, 0 … n) into rows of L values. Lanes past n hold anything (the
     * next rows of b, or zeros): their sums are never read.
     */
    private void pack(boolean transB, int n, int bigK, float[] b, int k0, int kc) {
        float[] dst = packedB;
        if (!transB) {
            // op(B)[q, j] = b[q·N + j]: a row of op(B) is a run of b, copied as one vector while
            // that stays inside the array.
            int p = 0;
            for (int src = k0 * n, d = 0; p < kc && src + L <= b.length; p++, src += n, d += L) {
                SkinnyTiles.copy(b, src, dst, d);
            }
            for (int src = (k0 + p) * n, d = p * L; p < kc; p++, src += n, d += L) {
                for (int j = 0; j < n; j++) {
                    dst[d + j] = b[src + j];
                }
            }
            return;
        }
        // op(B)[q, j] = b[j·K + q]: read along b's rows, write with stride L.
        for (int j = 0; j < n; j++) {
            for (int p = 0, src = j * bigK + k0, d = j; p < kc; p++, src++, d += L) {
                dst[d] = b[src];
            }
        }
    }
}
