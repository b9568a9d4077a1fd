package dev.tapgrad.runtime.kernel.gemm;

/**
 * The plain-Java kernel ({@link GemmBlock}, {@link RowKernels}): always available, the fallback
 * when the Vector API is absent. Its vector loop runs along C's rows, so short rows (a 10-class
 * head) are computed transposed; chunks are {@link GemmBlock#MB} rows by up to
 * {@link GemmBlock#NC} columns, slices {@link GemmBlock#KMAX} rows of op(B).
 *
 * <p>A product whose P is a single chunk but whose k spans several slices (a 10-class head's
 * forward over a flattened image, 10 × 32 × 21632 computed transposed) had one chunk per slice and
 * so ran on one thread, a third of the portable CNN step. Its k is cut into parts of
 * {@link GemmBlock#KMAX} instead, each part a chunk summed from zero into {@link GemmJob#partials};
 * {@link #finish} adds the parts in part order and then C's value when the product accumulates.
 * The cut depends on the shape only, so the bits do not depend on the threads.
 */
final class PortableKernel implements GemmKernel {
    /**
     * Rows of C shorter than this are computed transposed when C has more rows than columns: a
     * vector loop over 64 floats is only four AVX-512 vectors, too short for C2's unrolled loop
     * (measured, JDK 17: the convolution's 3630 × 64 × 288 product 1.4× faster transposed).
     */
    static final int SHORT_ROW = 128;

    private final ThreadLocal<GemmBlock> blocks = ThreadLocal.withInitial(GemmBlock::new);

    @Override
    public String name() {
        return "portable";
    }

    @Override
    public boolean suits(int m, int n, int k) {
        return true;
    }

    @Override
    public boolean transposes(int m, int n) {
        return n < SHORT_ROW && m > n;
    }

    /** Most floats of part sums (4 MB); a product needing more keeps its slices. */
    static final long PARTIALS_MAX = 1L << 20;

    @Override
    public void plan(GemmJob job) {
        job.mb = GemmBlock.MB;
        job.nc = Math.min(GemmBlock.NC, job.bigN);
        job.kmax = GemmBlock.KMAX;
        int parts = (job.bigK + GemmBlock.KMAX - 1) / GemmBlock.KMAX;
        long partials = (long) job.bigM * job.bigN * parts;
        // P one chunk: at most MB rows and NC columns
        if (job.bigM <= GemmBlock.MB && job.bigN <= GemmBlock.NC && parts >= 2 && partials <= PARTIALS_MAX) {
            job.kmax = job.bigK; // one slice: its parts are the chunks
            job.kParts = parts;
            job.kPart = GemmBlock.KMAX;
            if (job.partials.length < partials) {
                job.partials = new float[(int) Math.max(partials, Math.min(2L * job.partials.length, PARTIALS_MAX))];
            }
        }
    }

    /**
     * Sums the parts of k in part order, element by element, and stores each sum into C (added to
     * C's value when the product accumulates; P's row i is C's column i when P is Cᵀ).
     */
    @Override
    public void finish(GemmJob job) {
        if (job.kParts < 2) {
            return;
        }
        int m = job.bigM, n = job.bigN, size = m * n;
        float[] p = job.partials;
        float[] c = job.c;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                int e = i * n + j;
                float sum = p[e];
                for (int part = 1; part < job.kParts; part++) {
                    sum += p[part * size + e];
                }
                int at = job.transposedOut ? j * m + i : e;
                c[at] = job.accumulate ? c[at] + sum : sum;
            }
        }
    }

    @Override
    public GemmWorker worker() {
        return blocks.get();
    }
}
