package dev.tapgrad.runtime.kernel.gemm;

/**
 * One thread's part in a {@link GemmJob} of the {@link SkinnyKernel}, and the buffers it keeps
 * from product to product (grown, never shrunk: nothing is allocated once they fit).
 *
 * <p>For each chunk (rows [ib, ie) of P and a part [k0, k1) of k) it copies op(B)'s rows k0 … k1
 * into rows of one vector each, zero beyond P's N columns (or, when A is stored transposed, into
 * rows of N values rounded up to a whole pass of five for broadcasting), unless it already holds
 * them from its previous chunk of the same product; runs {@link SkinnyTiles} over the rows, eight
 * at a time then one at a time (or 4L, 2L, L at a time then one at a time, A read along its rows);
 * and adds each tile's N-column rows to C (or its columns, when P is Cᵀ), or stores them in the
 * part's slot of {@link GemmJob#partials} when k is cut into parts.
 */
final class SkinnyBlock implements GemmWorker {
    private static final int L = SkinnyTiles.L;
    private static final int MR = SkinnyTiles.MR;

    private final GemmJob local = new GemmJob();
    /** op(B)[k0 + p, j] at p·L + j; lanes past N hold anything. */
    private float[] packedB = new float[0];
    /** The columns kernels' output: column c of up to 4L rows of P at c·4L (see {@link SkinnyTiles#columns4}). */
    private final float[] columnTile = new float[4 * L * (SkinnyKernel.NMAX + SkinnyTiles.G)];
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
        int width = Math.max(L, columnsWidth(job.bigN));
        if ((long) kc * width > packedB.length) {
            packedB = new float[Math.max(kc * width, Math.min(2 * packedB.length, SkinnyKernel.KPART * L * 8))];
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
            if (job.transA) {
                packColumns(job.transB, n, job.bigK, job.b, k0, kc);
            } else {
                pack(job.transB, n, job.bigK, job.b, k0, kc);
            }
            packedId = job.id;
            packedK0 = k0;
        }
        float[] b = packedB;
        float[] t = tile;
        boolean parts = job.kParts > 1;
        int at = part * job.bigM * n;
        if (job.transA) {
            columns(job, ib, ie, k0, kc, parts, at);
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

    /**
     * Rows [ib, ie) of P over k0 … k0 + kc when A is stored transposed: op(A)[i, q] = a[q·M + i],
     * so a run of P's rows is a run of one of A's rows, read in place as vectors
     * ({@link SkinnyTiles#columns4} and narrower) against op(B)'s values broadcast from
     * {@link #packColumns}'s copy; the rows short of a vector at the end as one vector too.
     */
    private void columns(GemmJob job, int ib, int ie, int k0, int kc, boolean parts, int at) {
        int m = job.bigM;
        int n = job.bigN;
        int np = columnsWidth(n);
        float[] a = job.a;
        float[] b = packedB;
        float[] s = columnTile;
        int i = ib;
        for (; i + 4 * L <= ie; i += 4 * L) {
            SkinnyTiles.columns4(kc, a, k0 * m + i, m, b, np, s);
            columnsOut(job, s, 4 * L, i, 4 * L, parts, at);
        }
        for (; i + 2 * L <= ie; i += 2 * L) {
            SkinnyTiles.columns2(kc, a, k0 * m + i, m, b, np, s);
            columnsOut(job, s, 2 * L, i, 2 * L, parts, at);
        }
        for (; i + L <= ie; i += L) {
            SkinnyTiles.columns1(kc, a, k0 * m + i, m, b, np, s);
            columnsOut(job, s, L, i, L, parts, at);
        }
        if (i < ie) {
            // Fewer than L rows left (all of P when M < L, e.g. a 3 × 3 kernel's 9 taps): one
            // vector per k all the same, overhanging into A's next row, whose lanes are never
            // read; the last k, whose vector would run past the array, lane by lane with the same
            // fused multiply-add (the same bits as a lane).
            int h = ie - i;
            int start = k0 * m + i;
            int room = a.length - L - start;
            int vectorK = room < 0 ? 0 : Math.min(kc, room / m + 1);
            SkinnyTiles.columns1(vectorK, a, start, m, b, np, s);
            for (int p = vectorK; p < kc; p++) {
                for (int c = 0; c < n; c++) {
                    float v = b[p * np + c];
                    for (int r = 0, src = start + p * m; r < h; r++) {
                        s[c * L + r] = Math.fma(a[src + r], v, s[c * L + r]);
                    }
                }
            }
            columnsOut(job, s, L, i, h, parts, at);
        }
    }

    /** Values of op(B) per k in {@link #packColumns}'s copy: N rounded up to whole passes of {@link SkinnyTiles#G}. */
    private static int columnsWidth(int n) {
        return (n + SkinnyTiles.G - 1) / SkinnyTiles.G * SkinnyTiles.G;
    }

    /**
     * Rows [i, i + h) of P from the columns kernels' output (column c at {@code s[c·stride …]})
     * straight into C, added when the job accumulates (or into the part's slot of the partials):
     * one pass, not a transpose into the row tile and then {@link #emit}'s copy (measured in the
     * two-conv CNN's step: the transpose alone was about a quarter of the weight gradient's time). Into
     * C's columns when P is Cᵀ, where each column's h values are a run of C's row.
     */
    private static void columnsOut(GemmJob job, float[] s, int stride, int i, int h, boolean parts, int at) {
        int n = job.bigN;
        if (job.transposedOut && !parts) {
            float[] c = job.c;
            int m = job.bigM;
            for (int col = 0; col < n; col++) {
                int to = col * m + i;
                int from = col * stride;
                if (job.accumulate) {
                    for (int r = 0; r < h; r++) {
                        c[to + r] += s[from + r];
                    }
                } else {
                    System.arraycopy(s, from, c, to, h);
                }
            }
            return;
        }
        float[] c = parts ? job.partials : job.c;
        boolean add = !parts && job.accumulate;
        int base = parts ? at + i * n : i * n;
        for (int r = 0; r < h; r++) {
            int to = base + r * n;
            if (add) {
                for (int col = 0; col < n; col++) {
                    c[to + col] += s[col * stride + r];
                }
            } else {
                for (int col = 0; col < n; col++) {
                    c[to + col] = s[col * stride + r];
                }
            }
        }
    }

    /** Copies op(B)[k0 … k0 + kc, 0 … n) to {@code packedB[p·np + c]}, zeros for c from n to np. */
    private void packColumns(boolean transB, int n, int bigK, float[] b, int k0, int kc) {
        int np = columnsWidth(n);
        float[] dst = packedB;
        for (int p = 0; p < kc; p++) {
            for (int c = 0; c < np; c++) {
                // op(B)[q, c] is b[q·N + c], or b[c·K + q] when B is stored transposed.
                dst[p * np + c] = c >= n ? 0f : transB ? b[c * bigK + k0 + p] : b[(k0 + p) * n + c];
            }
        }
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
