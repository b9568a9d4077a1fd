package dev.tapgrad.runtime.kernel.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector kernel's micro-kernels: an MR × NR block of C in vector registers, NR = NV vectors
 * of the preferred species, updated by {@code kc} rank-1 steps from a packed A micro-panel
 * ({@code a[ao + p·MR + r]}) and a packed B micro-panel ({@code b[bo + p·NR + j]}), the tile
 * being {@code d} at {@code dOff} with row stride {@code ld}, added to when {@code add}, else
 * overwritten. Each accumulator sums its k in order onto C's value, so an element's value depends
 * only on the slices of k, never on which thread or tile position computed it.
 *
 * <p>Every vector is a local of one method, unrolled by hand (one line a tile row), so that C2
 * keeps them in registers, on JDK 17 too; a vector stored in a field or array, or passed to a
 * call that is not inlined, would be boxed (helper methods are not: past C2's node-count cutoff
 * for inlining, which the Vector API's own force-inlined calls fill in a tile this large, the
 * tile's stores through a helper stayed calls, 20 times slower). Which
 * shape runs is chosen once from the lane count ({@link #MR}, {@link #NV}): with 16 lanes
 * (AVX-512, 32 registers) 8 rows by 3 vectors, 24 accumulators (measured on one core at 512³:
 * 8x3 125 GFLOP/s, 8x2 116, 12x2 88, and 12-row tiles lose half their speed when C's rows end
 * inside a tile); with 8 or fewer (AVX2, 16 registers) 6 by 2, 12 accumulators (on this machine
 * limited to AVX2: 74 GFLOP/s against 61 for 4x3 and 57 for 8x2). The shapes that lost are no
 * longer written out; {@code -Dtapgrad.vector.tile=8x3|6x2} forces one of the two for
 * measurements. With 8x3 tiles, a column panel at C's right edge that is at most one or two
 * vectors wide runs an 8-row kernel of that many vectors ({@link #computedWidth}), summing in
 * the same order, so a value's bits do not depend on which kernel computed it.
 *
 * <p>The accumulators start from C's tile when adding (from a row of zeros otherwise) rather than
 * adding C at the end: one store path keeps the method small enough for C1, whose failure to
 * compile a larger one ("out of virtual registers") could leave it running tier-2 code with boxed
 * vectors, a hundred times slower.
 */
final class VectorTiles {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Lanes of a vector. */
    static final int L = S.length();
    /** Rows of a tile. */
    static final int MR;
    /** Vectors per tile row. */
    static final int NV;
    /** Columns of a tile. */
    static final int NR;

    static {
        String forced = System.getProperty("tapgrad.vector.tile");
        int mr = L >= 16 ? 8 : 6;
        int nv = L >= 16 ? 3 : 2;
        if (forced != null) {
            switch (forced) {
                case "8x3" -> { mr = 8; nv = 3; }
                case "6x2" -> { mr = 6; nv = 2; }
                default -> throw new IllegalArgumentException("tapgrad.vector.tile: " + forced
                        + " is not 8x3 or 6x2");
            }
        }
        MR = mr;
        NV = nv;
        NR = nv * L;
    }

    /** What a tile starts from when C is overwritten: every row reads these. */
    private static final float[] ZEROS = new float[NR];

    private VectorTiles() {}

    /**
     * Columns of C a tile computes when {@code w} of them are wanted: whole tiles, except that with
     * 8x3 tiles an edge of at most one or two vectors' width runs a one- or two-vector kernel
     * ({@link #k8x1}, {@link #k8x2}): a 64-filter convolution is a 48-wide and a 16-wide panel
     * instead of two 48-wide ones, a third of whose multiply-adds were padding.
     */
    static int computedWidth(int w) {
        return NV == 3 && w <= 2 * L ? (w + L - 1) / L * L : NR;
    }

    /**
     * The chosen micro-kernel for a tile of which {@code w} columns are wanted (the others may be
     * left unwritten): one tile of C (see the class comment for the other arguments).
     */
    static void tile(int kc, float[] a, int ao, float[] b, int bo, float[] d, int dOff, int ld, boolean add, int w) {
        if (NV == 3) {
            if (w <= L) {
                k8x1(kc, a, ao, b, bo, d, dOff, ld, add);
            } else if (w <= 2 * L) {
                k8x2(kc, a, ao, b, bo, d, dOff, ld, add);
            } else {
                k8x3(kc, a, ao, b, bo, d, dOff, ld, add);
            }
        } else {
            k6x2(kc, a, ao, b, bo, d, dOff, ld, add);
        }
    }

    /** 8 rows by 3 vectors: 24 accumulators. */
    static void k8x3(int kc, float[] a, int ao, float[] b, int bo, float[] d, int dOff, int ld, boolean add) {
        // Start from C's tile, or from a row of zeros: one path, so the method stays small.
        float[] s = add ? d : ZEROS;
        int so = add ? dOff : 0;
        int sl = add ? ld : 0;
        FloatVector c0_0 = FloatVector.fromArray(S, s, so), c0_1 = FloatVector.fromArray(S, s, so + L), c0_2 = FloatVector.fromArray(S, s, so + 2 * L);
        FloatVector c1_0 = FloatVector.fromArray(S, s, so + sl), c1_1 = FloatVector.fromArray(S, s, so + sl + L), c1_2 = FloatVector.fromArray(S, s, so + sl + 2 * L);
        FloatVector c2_0 = FloatVector.fromArray(S, s, so + 2 * sl), c2_1 = FloatVector.fromArray(S, s, so + 2 * sl + L), c2_2 = FloatVector.fromArray(S, s, so + 2 * sl + 2 * L);
        FloatVector c3_0 = FloatVector.fromArray(S, s, so + 3 * sl), c3_1 = FloatVector.fromArray(S, s, so + 3 * sl + L), c3_2 = FloatVector.fromArray(S, s, so + 3 * sl + 2 * L);
        FloatVector c4_0 = FloatVector.fromArray(S, s, so + 4 * sl), c4_1 = FloatVector.fromArray(S, s, so + 4 * sl + L), c4_2 = FloatVector.fromArray(S, s, so + 4 * sl + 2 * L);
        FloatVector c5_0 = FloatVector.fromArray(S, s, so + 5 * sl), c5_1 = FloatVector.fromArray(S, s, so + 5 * sl + L), c5_2 = FloatVector.fromArray(S, s, so + 5 * sl + 2 * L);
        FloatVector c6_0 = FloatVector.fromArray(S, s, so + 6 * sl), c6_1 = FloatVector.fromArray(S, s, so + 6 * sl + L), c6_2 = FloatVector.fromArray(S, s, so + 6 * sl + 2 * L);
        FloatVector c7_0 = FloatVector.fromArray(S, s, so + 7 * sl), c7_1 = FloatVector.fromArray(S, s, so + 7 * sl + L), c7_2 = FloatVector.fromArray(S, s, so + 7 * sl + 2 * L);
        for (int p = 0; p < kc; p++, ao += 8, bo += 3 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L), b2 = FloatVector.fromArray(S, b, bo + 2 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]); c0_0 = b0.fma(a0, c0_0); c0_1 = b1.fma(a0, c0_1); c0_2 = b2.fma(a0, c0_2);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + 1]); c1_0 = b0.fma(a1, c1_0); c1_1 = b1.fma(a1, c1_1); c1_2 = b2.fma(a1, c1_2);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + 2]); c2_0 = b0.fma(a2, c2_0); c2_1 = b1.fma(a2, c2_1); c2_2 = b2.fma(a2, c2_2);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + 3]); c3_0 = b0.fma(a3, c3_0); c3_1 = b1.fma(a3, c3_1); c3_2 = b2.fma(a3, c3_2);
            FloatVector a4 = FloatVector.broadcast(S, a[ao + 4]); c4_0 = b0.fma(a4, c4_0); c4_1 = b1.fma(a4, c4_1); c4_2 = b2.fma(a4, c4_2);
            FloatVector a5 = FloatVector.broadcast(S, a[ao + 5]); c5_0 = b0.fma(a5, c5_0); c5_1 = b1.fma(a5, c5_1); c5_2 = b2.fma(a5, c5_2);
            FloatVector a6 = FloatVector.broadcast(S, a[ao + 6]); c6_0 = b0.fma(a6, c6_0); c6_1 = b1.fma(a6, c6_1); c6_2 = b2.fma(a6, c6_2);
            FloatVector a7 = FloatVector.broadcast(S, a[ao + 7]); c7_0 = b0.fma(a7, c7_0); c7_1 = b1.fma(a7, c7_1); c7_2 = b2.fma(a7, c7_2);
        }
        c0_0.intoArray(d, dOff); c0_1.intoArray(d, dOff + L); c0_2.intoArray(d, dOff + 2 * L);
        c1_0.intoArray(d, dOff + ld); c1_1.intoArray(d, dOff + ld + L); c1_2.intoArray(d, dOff + ld + 2 * L);
        c2_0.intoArray(d, dOff + 2 * ld); c2_1.intoArray(d, dOff + 2 * ld + L); c2_2.intoArray(d, dOff + 2 * ld + 2 * L);
        c3_0.intoArray(d, dOff + 3 * ld); c3_1.intoArray(d, dOff + 3 * ld + L); c3_2.intoArray(d, dOff + 3 * ld + 2 * L);
        c4_0.intoArray(d, dOff + 4 * ld); c4_1.intoArray(d, dOff + 4 * ld + L); c4_2.intoArray(d, dOff + 4 * ld + 2 * L);
        c5_0.intoArray(d, dOff + 5 * ld); c5_1.intoArray(d, dOff + 5 * ld + L); c5_2.intoArray(d, dOff + 5 * ld + 2 * L);
        c6_0.intoArray(d, dOff + 6 * ld); c6_1.intoArray(d, dOff + 6 * ld + L); c6_2.intoArray(d, dOff + 6 * ld + 2 * L);
        c7_0.intoArray(d, dOff + 7 * ld); c7_1.intoArray(d, dOff + 7 * ld + L); c7_2.intoArray(d, dOff + 7 * ld + 2 * L);
    }

    /** 8 rows by 1 vector, the first vector of each packed B row (an edge panel): 8 accumulators. */
    static void k8x1(int kc, float[] a, int ao, float[] b, int bo, float[] d, int dOff, int ld, boolean add) {
        float[] s = add ? d : ZEROS;
        int so = add ? dOff : 0;
        int sl = add ? ld : 0;
        FloatVector c0 = FloatVector.fromArray(S, s, so), c1 = FloatVector.fromArray(S, s, so + sl);
        FloatVector c2 = FloatVector.fromArray(S, s, so + 2 * sl), c3 = FloatVector.fromArray(S, s, so + 3 * sl);
        FloatVector c4 = FloatVector.fromArray(S, s, so + 4 * sl), c5 = FloatVector.fromArray(S, s, so + 5 * sl);
        FloatVector c6 = FloatVector.fromArray(S, s, so + 6 * sl), c7 = FloatVector.fromArray(S, s, so + 7 * sl);
        for (int p = 0; p < kc; p++, ao += 8, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            c0 = b0.fma(FloatVector.broadcast(S, a[ao]), c0);
            c1 = b0.fma(FloatVector.broadcast(S, a[ao + 1]), c1);
            c2 = b0.fma(FloatVector.broadcast(S, a[ao + 2]), c2);
            c3 = b0.fma(FloatVector.broadcast(S, a[ao + 3]), c3);
            c4 = b0.fma(FloatVector.broadcast(S, a[ao + 4]), c4);
            c5 = b0.fma(FloatVector.broadcast(S, a[ao + 5]), c5);
            c6 = b0.fma(FloatVector.broadcast(S, a[ao + 6]), c6);
            c7 = b0.fma(FloatVector.broadcast(S, a[ao + 7]), c7);
        }
        c0.intoArray(d, dOff); c1.intoArray(d, dOff + ld); c2.intoArray(d, dOff + 2 * ld); c3.intoArray(d, dOff + 3 * ld);
        c4.intoArray(d, dOff + 4 * ld); c5.intoArray(d, dOff + 5 * ld); c6.intoArray(d, dOff + 6 * ld); c7.intoArray(d, dOff + 7 * ld);
    }

    /** 8 rows by 2 vectors, the first two vectors of each packed B row (an edge panel): 16 accumulators. */
    static void k8x2(int kc, float[] a, int ao, float[] b, int bo, float[] d, int dOff, int ld, boolean add) {
        float[] s = add ? d : ZEROS;
        int so = add ? dOff : 0;
        int sl = add ? ld : 0;
        FloatVector c0_0 = FloatVector.fromArray(S, s, so), c0_1 = FloatVector.fromArray(S, s, so + L);
        FloatVector c1_0 = FloatVector.fromArray(S, s, so + sl), c1_1 = FloatVector.fromArray(S, s, so + sl + L);
        FloatVector c2_0 = FloatVector.fromArray(S, s, so + 2 * sl), c2_1 = FloatVector.fromArray(S, s, so + 2 * sl + L);
        FloatVector c3_0 = FloatVector.fromArray(S, s, so + 3 * sl), c3_1 = FloatVector.fromArray(S, s, so + 3 * sl + L);
        FloatVector c4_0 = FloatVector.fromArray(S, s, so + 4 * sl), c4_1 = FloatVector.fromArray(S, s, so + 4 * sl + L);
        FloatVector c5_0 = FloatVector.fromArray(S, s, so + 5 * sl), c5_1 = FloatVector.fromArray(S, s, so + 5 * sl + L);
        FloatVector c6_0 = FloatVector.fromArray(S, s, so + 6 * sl), c6_1 = FloatVector.fromArray(S, s, so + 6 * sl + L);
        FloatVector c7_0 = FloatVector.fromArray(S, s, so + 7 * sl), c7_1 = FloatVector.fromArray(S, s, so + 7 * sl + L);
        for (int p = 0; p < kc; p++, ao += 8, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]); c0_0 = b0.fma(a0, c0_0); c0_1 = b1.fma(a0, c0_1);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + 1]); c1_0 = b0.fma(a1, c1_0); c1_1 = b1.fma(a1, c1_1);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + 2]); c2_0 = b0.fma(a2, c2_0); c2_1 = b1.fma(a2, c2_1);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + 3]); c3_0 = b0.fma(a3, c3_0); c3_1 = b1.fma(a3, c3_1);
            FloatVector a4 = FloatVector.broadcast(S, a[ao + 4]); c4_0 = b0.fma(a4, c4_0); c4_1 = b1.fma(a4, c4_1);
            FloatVector a5 = FloatVector.broadcast(S, a[ao + 5]); c5_0 = b0.fma(a5, c5_0); c5_1 = b1.fma(a5, c5_1);
            FloatVector a6 = FloatVector.broadcast(S, a[ao + 6]); c6_0 = b0.fma(a6, c6_0); c6_1 = b1.fma(a6, c6_1);
            FloatVector a7 = FloatVector.broadcast(S, a[ao + 7]); c7_0 = b0.fma(a7, c7_0); c7_1 = b1.fma(a7, c7_1);
        }
        c0_0.intoArray(d, dOff); c0_1.intoArray(d, dOff + L);
        c1_0.intoArray(d, dOff + ld); c1_1.intoArray(d, dOff + ld + L);
        c2_0.intoArray(d, dOff + 2 * ld); c2_1.intoArray(d, dOff + 2 * ld + L);
        c3_0.intoArray(d, dOff + 3 * ld); c3_1.intoArray(d, dOff + 3 * ld + L);
        c4_0.intoArray(d, dOff + 4 * ld); c4_1.intoArray(d, dOff + 4 * ld + L);
        c5_0.intoArray(d, dOff + 5 * ld); c5_1.intoArray(d, dOff + 5 * ld + L);
        c6_0.intoArray(d, dOff + 6 * ld); c6_1.intoArray(d, dOff + 6 * ld + L);
        c7_0.intoArray(d, dOff + 7 * ld); c7_1.intoArray(d, dOff + 7 * ld + L);
    }

    /** 6 rows by 2 vectors: 12 accumulators. */
    static void k6x2(int kc, float[] a, int ao, float[] b, int bo, float[] d, int dOff, int ld, boolean add) {
        // Start from C's tile, or from a row of zeros: one path, so the method stays small.
        float[] s = add ? d : ZEROS;
        int so = add ? dOff : 0;
        int sl = add ? ld : 0;
        FloatVector c0_0 = FloatVector.fromArray(S, s, so), c0_1 = FloatVector.fromArray(S, s, so + L);
        FloatVector c1_0 = FloatVector.fromArray(S, s, so + sl), c1_1 = FloatVector.fromArray(S, s, so + sl + L);
        FloatVector c2_0 = FloatVector.fromArray(S, s, so + 2 * sl), c2_1 = FloatVector.fromArray(S, s, so + 2 * sl + L);
        FloatVector c3_0 = FloatVector.fromArray(S, s, so + 3 * sl), c3_1 = FloatVector.fromArray(S, s, so + 3 * sl + L);
        FloatVector c4_0 = FloatVector.fromArray(S, s, so + 4 * sl), c4_1 = FloatVector.fromArray(S, s, so + 4 * sl + L);
        FloatVector c5_0 = FloatVector.fromArray(S, s, so + 5 * sl), c5_1 = FloatVector.fromArray(S, s, so + 5 * sl + L);
        for (int p = 0; p < kc; p++, ao += 6, bo += 2 * L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo), b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector a0 = FloatVector.broadcast(S, a[ao]); c0_0 = b0.fma(a0, c0_0); c0_1 = b1.fma(a0, c0_1);
            FloatVector a1 = FloatVector.broadcast(S, a[ao + 1]); c1_0 = b0.fma(a1, c1_0); c1_1 = b1.fma(a1, c1_1);
            FloatVector a2 = FloatVector.broadcast(S, a[ao + 2]); c2_0 = b0.fma(a2, c2_0); c2_1 = b1.fma(a2, c2_1);
            FloatVector a3 = FloatVector.broadcast(S, a[ao + 3]); c3_0 = b0.fma(a3, c3_0); c3_1 = b1.fma(a3, c3_1);
            FloatVector a4 = FloatVector.broadcast(S, a[ao + 4]); c4_0 = b0.fma(a4, c4_0); c4_1 = b1.fma(a4, c4_1);
            FloatVector a5 = FloatVector.broadcast(S, a[ao + 5]); c5_0 = b0.fma(a5, c5_0); c5_1 = b1.fma(a5, c5_1);
        }
        c0_0.intoArray(d, dOff); c0_1.intoArray(d, dOff + L);
        c1_0.intoArray(d, dOff + ld); c1_1.intoArray(d, dOff + ld + L);
        c2_0.intoArray(d, dOff + 2 * ld); c2_1.intoArray(d, dOff + 2 * ld + L);
        c3_0.intoArray(d, dOff + 3 * ld); c3_1.intoArray(d, dOff + 3 * ld + L);
        c4_0.intoArray(d, dOff + 4 * ld); c4_1.intoArray(d, dOff + 4 * ld + L);
        c5_0.intoArray(d, dOff + 5 * ld); c5_1.intoArray(d, dOff + 5 * ld + L);
    }
}
