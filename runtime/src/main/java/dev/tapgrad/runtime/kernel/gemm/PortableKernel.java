package dev.tapgrad.runtime.kernel.gemm;

/**
 * The plain-Java kernel ({@link GemmBlock}, {@link RowKernels}): always available, the fallback
 * when the Vector API is absent. Its vector loop runs along C's rows, so short rows (a 10-class
 * head) are computed transposed; chunks are {@link GemmBlock#MB} rows by up to
 * {@link GemmBlock#NC} columns, slices {@link GemmBlock#KMAX} rows of op(B).
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

    @Override
    public void plan(GemmJob job) {
        job.mb = GemmBlock.MB;
        job.nc = Math.min(GemmBlock.NC, job.bigN);
        job.kmax = GemmBlock.KMAX;
    }

    @Override
    public GemmWorker worker() {
        return blocks.get();
    }
}
