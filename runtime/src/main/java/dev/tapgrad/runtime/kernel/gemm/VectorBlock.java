package dev.tapgrad.runtime.kernel.gemm;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * One thread's part in a {@link GemmJob} of the {@link VectorKernel}, and the buffers it reuses
 * from product to product (never shrunk; nothing is allocated once they fit).
 *
 * <p>For each chunk it takes (rows [ib, ie) of P by columns [jc, jc + nc) within the job's slice
 * [pc0, pc1) of k) it packs the slice's panel of op(B) into NR-column micro-panels, unless it
 * already holds it from the previous chunk, packs the chunk's rows of op(A) into MR-row
 * micro-panels, zero-padded to whole tiles, then runs the micro-kernel over every tile, column
 * panels outside so that one B micro-panel (kc × NR) stays in L1 while the A block streams from
 * L2. Whole tiles of a non-transposed product are updated in C itself; tiles cut by C's edges, and
 * every tile when P is Cᵀ, through a small tile buffer that C's values are copied into and out of.
 */
final class VectorBlock implements GemmWorker {
    private static final int MR = VectorTiles.MR;
    private static final int NR = VectorTiles.NR;
    private static final int L = VectorTiles.L;
    /**
     * Below this k a transposed op(B) is packed k by k (in one JVM, alternating: 64x18432x10 NT
     * 174 → 126 µs, 128x1600x10 NT 39 → 28; at k = 32 both orders took the same time).
     */
    private static final int SHORT_K = 32;

    /** The largest packed blocks the kernel's plan gives (slices are at most KC + 3 long). */
    private static final long MAX_A = (long) (VectorKernel.MC + MR) * (VectorKernel.KC + 3);
    private static final long MAX_B = (long) (VectorKernel.NC + NR) * (VectorKernel.KC + 3);

    private final GemmJob local = new GemmJob();
    /** op(A) of the current chunk: micro-panel t at t·MR·kc, value (p, r) at p·MR + r. */
    private float[] packedA = new float[0];
    /** op(B) of the current slice and column block: micro-panel t at t·NR·kc, value (p, j) at p·NR + j. */
    private float[] packedB = new float[0];
    /** One tile, for edges and transposed stores. */
    private final float[] tile = new float[MR * NR];
    /** What packedB holds: a slice's id and its first column; -1 for nothing. */
    private long packedId = -1;
    private int packedJc = -1;
    private int packedPc = -1;
    /** What packedA holds: a slice's id and the first row of op(A); -1 for nothing. */
    private long packedAId = -1;
    private int packedAIb = -1;

    @Override
    public GemmJob local() {
        return local;
    }

    @Override
    public void run(GemmJob job) {
        // A plan whose slice is longer than KC (a chunk that owns all of k, see VectorKernel#plan)
        // is cut here into the same even pieces; the sums' order is the same either way.
        int len = job.pc1 - job.pc0;
        int count = len <= VectorKernel.KC + 3 ? 1 : (len + VectorKernel.KC - 1) / VectorKernel.KC;
        int rows = roundUp(job.mb, MR);
        ensure((long) rows * len, (long) roundUp(job.nc, NR) * Math.min(len, VectorKernel.KC + 3));
        int chunk;
        while ((chunk = job.next.getAndIncrement()) < job.chunks) {
            int jc = chunk / job.rowBlocks * job.nc;
            int ib = chunk % job.rowBlocks * job.mb;
            int ie = Math.min(job.bigM, ib + job.mb);
            int nc = Math.min(job.nc, job.bigN - jc);
            // The chunk's rows of op(A) over the whole slice, piece after piece, kept for the
            // thread's next chunk of the same rows (a column split packs them once per thread).
            if (packedAId != job.id || packedAIb != ib) {
                for (int s = 0; s < count; s++) {
                    int p0 = pieceStart(job, s, count);
                    packA(job.transA, job.bigM, job.bigK, job.a, p0, pieceStart(job, s + 1, count) - p0, ib, ie,
                            rows * (p0 - job.pc0));
                }
                packedAId = job.id;
                packedAIb = ib;
            }
            for (int s = 0; s < count; s++) {
                int p0 = pieceStart(job, s, count);
                chunk(job, ib, ie, jc, nc, p0, pieceStart(job, s + 1, count), rows * (p0 - job.pc0));
            }
        }
    }

    /** Start of piece {@code s} of {@code count} of the job's slice (its end for {@code s == count}). */
    private static int pieceStart(GemmJob job, int s, int count) {
        if (s == 0) {
            return job.pc0;
        }
        if (s == count) {
            return job.pc1;
        }
        return job.pc0 + (int) ((long) (job.pc1 - job.pc0) * s / count + 3) / 4 * 4;
    }

    /** Rows [ib, ie) by columns [jc, jc + nc) of P over k in [pc0, pc1), op(A)'s rows packed at {@code aBase}. */
    private void chunk(GemmJob job, int ib, int ie, int jc, int nc, int pc0, int pc1, int aBase) {
        int kc = pc1 - pc0;
        if (packedId != job.id || packedJc != jc || packedPc != pc0) {
            packB(job.transB, job.bigN, job.bigK, job.b, pc0, kc, jc, nc);
            packedId = job.id;
            packedJc = jc;
            packedPc = pc0;
        }
        boolean add = pc0 > 0 || job.accumulate;
        boolean direct = !job.transposedOut;
        float[] a = packedA;
        float[] b = packedB;
        float[] c = job.c;
        int ldc = job.bigN;
        for (int jr = 0; jr < nc; jr += NR) {
            int w = Math.min(NR, nc - jr);
            int bo = jr * kc;
            for (int ir = ib; ir < ie; ir += MR) {
                int h = Math.min(MR, ie - ir);
                int ao = aBase + (ir - ib) * kc;
                // One call site for every tile, so that C2 compiles one call of the micro-kernel
                // (measured: a second call site for edge tiles ran 10 times slower than the first).
                // Edge tiles, and every tile of Cᵀ, go through the tile buffer, C's values copied
                // in first: the same sums in the same order as a whole tile, so the bits do not
                // depend on where the chunks' edges fall.
                boolean whole = direct && h == MR && w == NR;
                if (!whole && add) {
                    copy(job, ir, h, jc + jr, w, true);
                }
                VectorTiles.tile(kc, a, ao, b, bo, whole ? c : tile, whole ? ir * ldc + jc + jr : 0,
                        whole ? ldc : NR, add, w);
                if (!whole) {
                    copy(job, ir, h, jc + jr, w, false);
                }
            }
        }
    }

    /** Rows [i0, i0 + h) × columns [j0, j0 + w) of P between C and the tile buffer: into the buffer when {@code in}. */
    private void copy(GemmJob job, int i0, int h, int j0, int w, boolean in) {
        float[] c = job.c;
        float[] t = tile;
        // P[i, j] is C[i, j], or C[j, i] when P is Cᵀ.
        int rowStep = job.transposedOut ? 1 : job.bigN;
        int colStep = job.transposedOut ? job.bigM : 1;
        if (colStep == 1) {
            for (int r = 0; r < h; r++) {
                int at = (i0 + r) * rowStep + j0;
                if (in) {
                    System.arraycopy(c, at, t, r * NR, w);
                } else {
                    System.arraycopy(t, r * NR, c, at, w);
                }
            }
            return;
        }
        // P is Cᵀ: column j of the tile is a run of h neighbours in row j0 + j of C. Walking C's
        // rows keeps the writes along memory (tile-row order wrote one value per cache line of C).
        for (int j = 0; j < w; j++) {
            int at = (j0 + j) * colStep + i0;
            if (in) {
                for (int r = 0, s = j; r < h; r++, s += NR) {
                    t[s] = c[at + r];
                }
            } else {
                for (int r = 0, s = j; r < h; r++, s += NR) {
                    c[at + r] = t[s];
                }
            }
        }
    }

    /** Packs op(A)[ib … ie, pc … pc + kc) into MR-row micro-panels, rows past ie zero. */
    private void packA(boolean transA, int bigM, int bigK, float[] a, int pc, int kc, int ib, int ie, int off) {
        float[] dst = packedA;
        for (int ir = ib; ir < ie; ir += MR) {
            int h = Math.min(MR, ie - ir);
            int base = off + (ir - ib) * kc;
            if (transA) {
                // op(A)[i, q] = a[q·M + i]: a tile's MR values of one q are neighbours.
                int p = 0;
                int src = pc * bigM + ir;
                int d = base;
                if (h == MR && MR <= L) {
                    // One vector a k (a call of System.arraycopy per 8 floats cost more than the
                    // copy): its lanes past MR land where the next k's values go, written right
                    // after, or past the panel, in what is packed later or not read; a vector is
                    // read only where the arrays have room for it.
                    int fits = a.length - L < src ? 0 : Math.min(kc, (a.length - L - src) / bigM + 1);
                    int room = dst.length - L < d ? 0 : (dst.length - L - d) / MR + 1;
                    for (int end = Math.min(fits, room); p < end; p++, src += bigM, d += MR) {
                        FloatVector.fromArray(VectorTiles.S, a, src).intoArray(dst, d);
                    }
                }
                for (; p < kc; p++, src += bigM, d += MR) {
                    System.arraycopy(a, src, dst, d, h);
                    if (h < MR) {
                        Arrays.fill(dst, d + h, d + MR, 0f);
                    }
                }
            } else {
                // op(A)[i, q] = a[i·K + q]: one row of a at a time, read in order and written
                // with stride MR. (The panel written in order instead, each q's MR values read
                // from MR rows, was measured faster on the Xeon this ran on before; on this AMD
                // EPYC, alternating in one JVM, it made 3630x64x288 NN 8% and 128x512x784 NN 2%
                // slower.)
                for (int r = 0; r < h; r++) {
                    for (int p = 0, src = (ir + r) * bigK + pc, d = base + r; p < kc; p++, src++, d += MR) {
                        dst[d] = a[src];
                    }
                }
                for (int r = h; r < MR; r++) {
                    for (int p = 0, d = base + r; p < kc; p++, d += MR) {
                        dst[d] = 0f;
                    }
                }
            }
        }
    }

    /** Packs op(B)[pc … pc + kc, jc … jc + nc) into NR-column micro-panels, columns past nc zero. */
    private void packB(boolean transB, int bigN, int bigK, float[] b, int pc, int kc, int jc, int nc) {
        float[] dst = packedB;
        for (int jr = 0; jr < nc; jr += NR) {
            int w = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (!transB) {
                // op(B)[q, j] = b[q·N + j]: a micro-panel row is a run of one row of b.
                int p = 0;
                int src = pc * bigN + jc + jr;
                int d = base;
                if (w == NR) {
                    // A whole micro-panel row as NR / L vectors, not a call of System.arraycopy.
                    for (; p < kc; p++, src += bigN, d += NR) {
                        for (int v = 0; v < NR; v += L) {
                            FloatVector.fromArray(VectorTiles.S, b, src + v).intoArray(dst, d + v);
                        }
                    }
                }
                for (; p < kc; p++, src += bigN, d += NR) {
                    System.arraycopy(b, src, dst, d, w);
                    if (w < NR) {
                        Arrays.fill(dst, d + w, d + NR, 0f);
                    }
                }
            } else {
                if (kc < SHORT_K) {
                    // A short k (a 10-class head's dL/dx): the panel row by row, each gathered
                    // from w rows of b, instead of w loops of kc values each.
                    for (int p = 0; p < kc; p++) {
                        int d = base + p * NR;
                        for (int j = 0, src = (jc + jr) * bigK + pc + p; j < w; j++, src += bigK) {
                            dst[d + j] = b[src];
                        }
                        for (int j = w; j < NR; j++) {
                            dst[d + j] = 0f;
                        }
                    }
                    continue;
                }
                // op(B)[q, j] = b[j·K + q]: read along b's rows, four at a time, and write
                // four neighbours of each panel row per visit (one row at a time visited every
                // line of the panel once per column: 128x512x512 NT 2-7% slower, in one JVM).
                int j = 0;
                for (; j + 4 <= w; j += 4) {
                    int s0 = (jc + jr + j) * bigK + pc, s1 = s0 + bigK, s2 = s1 + bigK, s3 = s2 + bigK;
                    for (int p = 0, d = base + j; p < kc; p++, d += NR) {
                        dst[d] = b[s0 + p];
                        dst[d + 1] = b[s1 + p];
                        dst[d + 2] = b[s2 + p];
                        dst[d + 3] = b[s3 + p];
                    }
                }
                for (; j < w; j++) {
                    for (int p = 0, src = (jc + jr + j) * bigK + pc, d = base + j; p < kc; p++, src++, d += NR) {
                        dst[d] = b[src];
                    }
                }
                for (j = w; j < NR; j++) {
                    for (int p = 0, d = base + j; p < kc; p++, d += NR) {
                        dst[d] = 0f;
                    }
                }
            }
        }
    }

    /** Grows the packing buffers to hold {@code aSize} and {@code bSize} floats, at least doubling, so that a few shapes settle them. */
    private void ensure(long aSize, long bSize) {
        if (aSize > packedA.length) {
            packedA = new float[(int) Math.max(aSize, Math.min(2L * packedA.length, MAX_A))];
            packedAId = -1;
        }
        if (bSize > packedB.length) {
            packedB = new float[(int) Math.max(bSize, Math.min(2L * packedB.length, MAX_B))];
            packedId = -1;
        }
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
