package dev.tapgrad.runtime.kernel.gemm;

/**
 * The Vector API kernel for skinny products: C with at most a vector's lanes of rows or columns
 * (a 10-class head's forward and weight gradient), which the tiled {@link VectorKernel} does not
 * suit. Loaded by {@link GemmKernels} through its class name, like the vector kernel, only where
 * that one runs.
 *
 * <p>P = op(A)·op(B) is computed with its short side as the columns (C itself when C has at most
 * {@link #NMAX} columns, else Cᵀ). When op(A) is read along its rows (A stored as is: the head's
 * forward), each row of P is one vector whose lanes are P's columns, summed over k as
 * {@code row += op(A)[i, p] · op(B)[p, :]}, eight rows at a time sharing every load of op(B)
 * ({@link SkinnyTiles#rows8}); op(B)'s rows are read in place (a vector overhanging into the next
 * row, whose lanes are never summed into C) or, stored transposed, copied once per thread and
 * part ({@link SkinnyBlock}). When A is stored transposed (the weight gradient Xᵀ·dY), a run of
 * P's rows is a run of one of A's rows: four vectors of them at a time are read in place and
 * multiplied by op(B)'s values broadcast, five columns a pass ({@link SkinnyTiles#columns4}), so
 * the long operand is read once, along its rows, and never copied. Both paths sum every element
 * with one fused multiply-add per k in k order from zero, so they give the same bits.
 *
 * <p>Geometry, from the shape only: a long k is cut into parts of {@link #KPART}, each a chunk of
 * its own whose sums go to {@link GemmJob#partials} and are added in part order by
 * {@link #finish} (a 32-row head with k = 21632 gets 43 chunks to share); otherwise the chunks are
 * blocks of rows. Either way every element of C is summed in an order fixed by the shape, so the
 * bits do not depend on the threads.
 */
final class SkinnyKernel implements GemmKernel {
    /** The longest short side: one vector of lanes. */
    static final int NMAX = SkinnyTiles.L;
    /** Values of k per part: a packed op(B) part of KPART × NMAX floats (32 KB with 16 lanes) stays in L1. */
    static final int KPART = Integer.getInteger("tapgrad.skinny.kpart", 512);
    /** Most floats of part sums (4 MB); a product needing more is cut into blocks of rows instead. */
    static final long PARTIALS_MAX = 1L << 20;

    /**
     * From this many multiply-adds on, a product is shared between threads: a 10-class MLP head
     * (128×10×512, 2^19.3) ran at about 11 GFLOP/s shared on the loaded 2-core machine and 25 to
     * 50 alone; the CNN head's products (2^22.7 and up) gain from sharing.
     */
    static final long SHARE = 1L << 21;

    private final ThreadLocal<SkinnyBlock> blocks = ThreadLocal.withInitial(SkinnyBlock::new);

    /** Fails where the preferred species is too narrow to pay (fewer than 8 floats). */
    SkinnyKernel() {
        if (NMAX < 8) {
            throw new IllegalStateException("the preferred vector species has " + NMAX + " float lanes");
        }
    }

    @Override
    public String name() {
        return "skinny (" + NMAX + " lanes)";
    }

    /** Products whose C has at most {@link #NMAX} rows or columns. */
    @Override
    public boolean suits(int m, int n, int k) {
        return Math.min(m, n) <= NMAX;
    }

    /** P's columns are C's short side. */
    @Override
    public boolean transposes(int m, int n) {
        return n > NMAX;
    }

    @Override
    public void plan(GemmJob job) {
        job.nc = job.bigN;
        job.kmax = job.bigK; // one slice: parts of k, if any, are chunks
        int parts = (job.bigK + KPART - 1) / KPART;
        long partials = (long) job.bigM * job.bigN * parts;
        if (parts >= 2 && partials <= PARTIALS_MAX) {
            job.kParts = parts;
            job.kPart = KPART;
            job.mb = job.bigM;
            if (job.partials.length < partials) {
                job.partials = new float[(int) Math.max(partials, Math.min(2L * job.partials.length, PARTIALS_MAX))];
            }
            return;
        }
        // Blocks of whole tiles: eight rows, or four vectors' worth when op(A) is read along A's rows.
        int mr = job.transA ? 4 * SkinnyTiles.L : SkinnyTiles.MR;
        int tiles = (job.bigM + mr - 1) / mr;
        int chunks = 1;
        if (Gemm.THREADS > 1 && shares((long) job.bigM * job.bigN * job.bigK)) {
            // Four chunks per thread, so that one the OS delays can be made up; rows only change
            // who computes an element, never its order.
            chunks = Math.min(tiles, 4 * Gemm.THREADS);
        }
        job.mb = mr * ((tiles + chunks - 1) / chunks);
    }

    @Override
    public boolean shares(long work) {
        return work >= SHARE;
    }

    /** Sums the parts of k in part order into the first, then stores that into C. */
    @Override
    public void finish(GemmJob job) {
        if (job.kParts < 2) {
            return;
        }
        int size = job.bigM * job.bigN;
        SkinnyTiles.sumParts(job.partials, size, job.kParts);
        SkinnyBlock.emit(job, job.partials, 0, job.bigM);
    }

    @Override
    public GemmWorker worker() {
        return blocks.get();
    }
}
