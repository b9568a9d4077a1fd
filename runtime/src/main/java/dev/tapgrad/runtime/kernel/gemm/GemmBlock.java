package dev.tapgrad.runtime.kernel.gemm;

import java.util.Arrays;

/**
 * One thread's part in computing a {@link GemmJob}, and the buffers it reuses from product to
 * product: a packed panel of op(B) and the rows of P being updated.
 *
 * <p>For each chunk it takes (MB rows of P by up to NC columns, within the job's current slice of
 * op(B)'s rows) it packs the slice's panel of op(B), one row per array, unless it already holds
 * it; loads the chunk's rows of P from C, or zeros them; passes the rows over L1-sized stretches
 * of panel rows, four rows and two k at a time (a chunk's last rows one at a time, four k at a
 * time; {@link RowKernels}, which need every operand at offset 0, hence the copies); and stores
 * the rows back into C, each row of P into a column of C when the job computes Cᵀ; when the plan
 * cuts k into parts, a chunk is one part of k for its rows and columns, summed from zero into the
 * part's slot of the job's partials. Every element of C is summed in the same order whatever
 * thread computes it, so the result does not depend on the number of threads.
 */
final class GemmBlock implements GemmWorker {
    /** Columns per chunk, and the longest vector loop. */
    static final int NC = 1024;
    /** Rows of op(B) per slice, and of the packed panel (2 MB at full width). */
    static final int KMAX = 512;
    /** Rows of P per chunk. */
    static final int MB = 16;
    /**
     * Floats of the panel that every row of a chunk passes over before the next ones: half of a
     * 48 KB L1, so that the stretch and the rows being updated stay there (measured: 4096 to 8192
     * are within 3% of each other, 16 fixed rows of 1024 lose 25% on wide products).
     */
    static final int L1_FLOATS = 6144;

    /** The job a thread runs alone. */
    private final GemmJob local = new GemmJob();

    /** The packed panel: row kk holds op(B)[pc0 + kk, jc … jc + nc). */
    private float[][] panel = new float[0][];
    /** The rows of P in the current chunk. */
    private final float[][] rows = new float[MB][];
    private int width;
    /** What the panel holds: a slice's id, its first column and its first row of op(B); -1 for nothing. */
    private long packedId = -1;
    private int packedJc = -1;
    private int packedK0 = -1;

    @Override
    public GemmJob local() {
        return local;
    }

    @Override
    public void run(GemmJob job) {
        boolean parts = job.kParts > 1;
        ensure(parts ? job.kPart : job.pc1 - job.pc0, job.nc);
        int blocks = job.chunks / job.kParts; // chunks of P per part of k
        int chunk;
        while ((chunk = job.next.getAndIncrement()) < job.chunks) {
            int part = chunk / blocks;
            int within = chunk % blocks;
            int jc = within / job.rowBlocks * job.nc;
            int ib = within % job.rowBlocks * job.mb;
            int k0 = parts ? part * job.kPart : job.pc0;
            int k1 = parts ? Math.min(job.bigK, k0 + job.kPart) : job.pc1;
            chunk(job, ib, Math.min(job.bigM, ib + MB), jc, Math.min(job.nc, job.bigN - jc), k0, k1, part);
        }
    }

    /**
     * Rows [ib, ie) by columns [jc, jc + nc) of P over op(B)'s rows [k0, k1): from C (or zero) into C
     * when k is one sum, from zero into part {@code part}'s slot of the job's partials when k is in
     * parts ({@link PortableKernel#finish} adds those in part order).
     */
    private void chunk(GemmJob job, int ib, int ie, int jc, int nc, int k0, int k1, int part) {
        int kc = k1 - k0;
        if (packedId != job.id || packedJc != jc || packedK0 != k0) {
            pack(job.transB, job.bigN, job.bigK, job.b, k0, kc, jc, nc);
            packedId = job.id;
            packedJc = jc;
            packedK0 = k0;
        }
        boolean parts = job.kParts > 1;
        load(job.c, job.bigM, job.bigN, job.transposedOut, parts || k0 == 0 && !job.accumulate, ib, ie, jc, nc);
        // As many panel rows as fit the L1 budget, a multiple of the kernels' k (2 and 4, or 2 and 3), up to 64.
        int unit = RowKernels.THREE_K ? 6 : 4;
        int stretch = Math.max(unit, Math.min(64 / unit * unit, L1_FLOATS / nc / unit * unit));
        for (int kb = 0; kb < kc; kb += stretch) {
            int ke = Math.min(kc, kb + stretch);
            int i = ib;
            for (; i + 4 <= ie; i += 4) {
                update4rows(i - ib, job.transA, job.bigM, job.bigK, job.a, i, k0, kb, ke, nc);
            }
            for (; i < ie; i++) {
                update(rows[i - ib], job.transA, job.bigM, job.bigK, job.a, i, k0, kb, ke, nc);
            }
        }
        if (parts) {
            // P's layout, row i at i·N, in the part's slot
            for (int i = ib, at = part * job.bigM * job.bigN + ib * job.bigN + jc; i < ie; i++, at += job.bigN) {
                System.arraycopy(rows[i - ib], 0, job.partials, at, nc);
            }
        } else {
            store(job.c, job.bigM, job.bigN, job.transposedOut, ib, ie, jc, nc);
        }
    }

    /** Rows {@code r … r + 3} of the chunk (P's rows i … i + 3) += op(A)[i …, pc + kb … pc + ke) · panel rows kb … ke. */
    private void update4rows(int r, boolean transA, int bigM, int bigK, float[] a, int i, int pc, int kb, int ke, int nc) {
        float[][] p = panel;
        float[] t0 = rows[r], t1 = rows[r + 1], t2 = rows[r + 2], t3 = rows[r + 3];
        // A(i, q) is a[q·M + i] when A is stored transposed, else a[i·K + q].
        int step = transA ? bigM : 1;
        int down = transA ? 1 : bigK;
        int at = transA ? (pc + kb) * bigM + i : i * bigK + pc + kb;
        int kk = kb;
        if (RowKernels.THREE_K) {
            for (; kk + 3 <= ke; kk += 3, at += 3 * step) {
                int at1 = at + down, at2 = at1 + down, at3 = at2 + down;
                RowKernels.update4x3(nc, a[at], a[at + step], a[at + 2 * step], a[at1], a[at1 + step], a[at1 + 2 * step],
                        a[at2], a[at2 + step], a[at2 + 2 * step], a[at3], a[at3 + step], a[at3 + 2 * step],
                        p[kk], p[kk + 1], p[kk + 2], t0, t1, t2, t3);
            }
        }
        for (; kk + 2 <= ke; kk += 2, at += 2 * step) {
            int at1 = at + down, at2 = at1 + down, at3 = at2 + down;
            RowKernels.update4x2(nc, a[at], a[at + step], a[at1], a[at1 + step], a[at2], a[at2 + step],
                    a[at3], a[at3 + step], p[kk], p[kk + 1], t0, t1, t2, t3);
        }
        if (kk < ke) {
            RowKernels.update4x1(nc, a[at], a[at + down], a[at + 2 * down], a[at + 3 * down], p[kk], t0, t1, t2, t3);
        }
    }

    /** Row {@code t} of P += op(A)[i, pc + kb … pc + ke) · panel rows kb … ke. */
    private void update(float[] t, boolean transA, int bigM, int bigK, float[] a, int i, int pc, int kb, int ke, int nc) {
        float[][] p = panel;
        // A(i, q) is a[q·M + i] when A is stored transposed, else a[i·K + q].
        int step = transA ? bigM : 1;
        int at = transA ? (pc + kb) * bigM + i : i * bigK + pc + kb;
        int kk = kb;
        for (; kk + 4 <= ke; kk += 4, at += 4 * step) {
            RowKernels.update4(nc, a[at], a[at + step], a[at + 2 * step], a[at + 3 * step],
                    p[kk], p[kk + 1], p[kk + 2], p[kk + 3], t);
        }
        switch (ke - kk) {
            case 3 -> RowKernels.update3(nc, a[at], a[at + step], a[at + 2 * step], p[kk], p[kk + 1], p[kk + 2], t);
            case 2 -> RowKernels.update2(nc, a[at], a[at + step], p[kk], p[kk + 1], t);
            case 1 -> RowKernels.update1(nc, a[at], p[kk], t);
            default -> { }
        }
    }

    /** Packs op(B)[pc … pc + kc, jc … jc + nc) into the panel, one row per array. */
    private void pack(boolean transB, int bigN, int bigK, float[] b, int pc, int kc, int jc, int nc) {
        float[][] p = panel;
        if (!transB) {
            for (int kk = 0; kk < kc; kk++) {
                System.arraycopy(b, (pc + kk) * bigN + jc, p[kk], 0, nc);
            }
            return;
        }
        // op(B)[q, j] = b[j·K + q]: eight rows of the panel at a time, so that each j reads eight
        // neighbouring values of b and every write streams along a panel row. (Sixteen, a whole
        // cache line per visit, measured no faster on the head's forward 64 × 10 × 18432.)
        int kk = 0;
        for (; kk + 8 <= kc; kk += 8) {
            float[] p0 = p[kk], p1 = p[kk + 1], p2 = p[kk + 2], p3 = p[kk + 3];
            float[] p4 = p[kk + 4], p5 = p[kk + 5], p6 = p[kk + 6], p7 = p[kk + 7];
            int src = jc * bigK + pc + kk;
            for (int j = 0; j < nc; j++, src += bigK) {
                p0[j] = b[src];
                p1[j] = b[src + 1];
                p2[j] = b[src + 2];
                p3[j] = b[src + 3];
                p4[j] = b[src + 4];
                p5[j] = b[src + 5];
                p6[j] = b[src + 6];
                p7[j] = b[src + 7];
            }
        }
        for (; kk < kc; kk++) {
            float[] row = p[kk];
            int src = jc * bigK + pc + kk;
            for (int j = 0; j < nc; j++, src += bigK) {
                row[j] = b[src];
            }
        }
    }

    private void load(float[] c, int bigM, int bigN, boolean transposedOut, boolean zero, int ib, int ie, int jc, int nc) {
        for (int i = ib; i < ie; i++) {
            float[] t = rows[i - ib];
            if (zero) {
                Arrays.fill(t, 0, nc, 0f);
            } else if (!transposedOut) {
                System.arraycopy(c, i * bigN + jc, t, 0, nc);
            } else {
                for (int j = 0, src = jc * bigM + i; j < nc; j++, src += bigM) {
                    t[j] = c[src];
                }
            }
        }
    }

    private void store(float[] c, int bigM, int bigN, boolean transposedOut, int ib, int ie, int jc, int nc) {
        if (!transposedOut) {
            for (int i = ib; i < ie; i++) {
                System.arraycopy(rows[i - ib], 0, c, i * bigN + jc, nc);
            }
            return;
        }
        // Row i of P is column i of C. In blocks of 64 columns of P (64 of C's rows, at most 64
        // lines, which stay in L1), each row of P is read in order and written bigM apart. Not
        // C's rows one at a time (each a loop over the chunk's rows, as short as 10 for a 10-class
        // head's weight gradient, with a row array to load per value): that took 30% of the
        // portable 18432 × 10 × 64 TN product.
        for (int j0 = 0; j0 < nc; j0 += 64) {
            int j1 = Math.min(nc, j0 + 64);
            for (int i = ib; i < ie; i++) {
                float[] row = rows[i - ib];
                for (int j = j0, dst = (jc + j0) * bigM + i; j < j1; j++, dst += bigM) {
                    c[dst] = row[j];
                }
            }
        }
    }

    /**
     * Grows the panel to {@code kc} rows and the arrays to {@code nc} values; never shrinks (at most
     * 2 MB). Any growth allocates every array again, the chunk's rows then the panel's, back to back
     * and each a multiple of 64 bytes long (length ≡ 12 mod 16 after the 16-byte array header), so
     * that they all start at the same offset within a cache line: C2 aligns its vector loop to one
     * of the arrays, and the others are then aligned too instead of splitting every 64-byte access
     * across two lines (measured, JDK 17, AVX-512: {@link RowKernels#update4x2} 1.4× faster).
     */
    private void ensure(int kc, int nc) {
        if (nc <= width && kc <= panel.length) {
            return;
        }
        // Grown in steps so that a few shapes settle it for good.
        int w = nc <= width ? width : Math.min(NC, Math.max(nc, 2 * width));
        int length = (w + 15) / 16 * 16 + 12;
        int depth = kc <= panel.length ? panel.length : Math.min(KMAX, Math.max(kc, 2 * panel.length));
        for (int i = 0; i < MB; i++) {
            rows[i] = null;
        }
        panel = new float[depth][];
        for (int i = 0; i < MB; i++) {
            rows[i] = new float[length];
        }
        for (int kk = 0; kk < depth; kk++) {
            panel[kk] = new float[length];
        }
        width = w;
        packedId = -1;
        packedK0 = -1;
    }
}
