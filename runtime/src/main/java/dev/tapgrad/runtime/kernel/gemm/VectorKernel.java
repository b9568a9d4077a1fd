package dev.tapgrad.runtime.kernel.gemm;

/**
 * The Vector API kernel ({@code jdk.incubator.vector}): op(A) and op(B) packed into micro-panels,
 * an MR × NR block of C kept in vector registers across a slice of k ({@link VectorTiles}), cache
 * blocking in {@link VectorBlock}. Loaded by {@link GemmKernels} through its class name only when
 * the module is present.
 *
 * <p>Geometry: slices of at most {@link #KC} values of k (a B micro-panel of KC × NR floats, 48 KB
 * with 16 lanes, stays near L1 while the A block streams from L2); chunks of about {@link #MC} rows
 * by up to {@link #NC} columns, cut smaller when a shared product would otherwise give the threads
 * fewer than two chunks each. A shared product with one row block (a batch of 128) is split by
 * tile columns instead, each chunk over all of k ({@link #plan}). C is computed transposed when
 * that wastes fewer padded tile values (10 columns of C would fill a 16-wide tile column badly,
 * 10 rows of Cᵀ two 8-row tiles better). No blocking changes a result: every element is one chain of
 * fused multiply-adds over k in order, stored and reloaded exactly between slices.
 */
final class VectorKernel implements GemmKernel {
    /** Most values of k per slice (or per piece of a chunk's slice); the sums' order does not depend on it. */
    static final int KC = Integer.getInteger("tapgrad.vector.kc", 256);
    /** Rows of C per chunk, before rounding to tiles: an A block of MC × KC floats in L2. */
    static final int MC = Integer.getInteger("tapgrad.vector.mc", 144);
    /** Most columns per chunk: a packed B panel of KC × NC floats (1 MB) in L2. */
    static final int NC = Integer.getInteger("tapgrad.vector.nc", 1024);

    /**
     * Most values of op(A) (all its rows by all of k) for which a shared product with a single
     * row block splits its columns between the threads instead (see {@link #plan}): each thread
     * keeps them packed, 512 KB, half of this machine's L2.
     */
    static final long SPLIT_A = 1L << 17;
    /** The shortest k whose products at one row block split their columns (see {@link #plan}). */
    static final int SPLIT_MIN_K = 64;

    private final ThreadLocal<VectorBlock> blocks = ThreadLocal.withInitial(VectorBlock::new);
    private final String name;

    /** Fails where the preferred species is too narrow to pay (fewer than 4 floats). */
    VectorKernel() {
        if (VectorTiles.L < 4) {
            throw new IllegalStateException("the preferred vector species has " + VectorTiles.L + " float lanes");
        }
        int bits = VectorTiles.S.vectorBitSize();
        String arch = System.getProperty("os.arch", "");
        String isa = bits + "-bit";
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            isa = bits == 512 ? "AVX-512" : bits == 256 ? "AVX2" : "SSE";
        } else if (arch.equals("aarch64") && bits == 128) {
            isa = "NEON";
        }
        name = "vector (" + isa + ", " + VectorTiles.L + " lanes, " + VectorTiles.MR + "x" + VectorTiles.NR + " tiles)";
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Products with a short side (fewer than about 32 rows or columns: a 10-class head, a conv's
     * 9-row kernel gradient, a single row) spend more on packing both operands per slice of k than
     * the tile gains, and pad most of a tile; measured slower than the portable kernel there
     * (9x32x4056: 14 against 18 GFLOP/s, 128x10x21632: 11 against 14, 1x512x512: 6 against 8).
     */
    @Override
    public boolean suits(int m, int n, int k) {
        return 16L * (m + n) <= (long) m * n;
    }

    @Override
    public boolean transposes(int m, int n) {
        long direct = (long) roundUp(m, VectorTiles.MR) * computedColumns(n);
        long transposed = (long) roundUp(n, VectorTiles.MR) * computedColumns(m);
        return transposed < direct;
    }

    /** Columns the tiles compute for {@code n} wanted: whole tiles, the edge as {@link VectorTiles#computedWidth} says. */
    private static long computedColumns(int n) {
        int nr = VectorTiles.NR;
        return (long) n / nr * nr + (n % nr == 0 ? 0 : VectorTiles.computedWidth(n % nr));
    }

    @Override
    public void plan(GemmJob job) {
        int mr = VectorTiles.MR;
        int nr = VectorTiles.NR;
        int rowTiles = (job.bigM + mr - 1) / mr;
        int colTiles = (job.bigN + nr - 1) / nr;
        int rowBlocks = (rowTiles * mr + MC - 1) / MC;
        int colBlocks = (colTiles * nr + NC - 1) / NC;
        job.kmax = KC;
        if (Gemm.THREADS > 1 && (long) job.bigM * job.bigN * job.bigK >= Gemm.PARALLEL) {
            int want = 2 * Gemm.THREADS;
            // Not for a short k (a head's dL/dx, k = the classes): packing op(B) costs little there,
            // and chunks of one tile column are too small to pay for handing them out
            // (64x18432x10 NT fell from 80 to 27 GFLOP/s with them).
            if (rowBlocks == 1 && colTiles >= want && job.bigK >= SPLIT_MIN_K && (long) rowTiles * mr * job.bigK <= SPLIT_A) {
                // Few rows (a batch of 128): the threads split the columns, each chunk all rows by
                // all of k, so that each part of op(B) is packed once, by one thread (split by rows,
                // every thread packed all of it: the MLP's products at 128 rows ran at 56-81% of
                // OpenBLAS), no thread waits for another between slices of k, and each thread
                // packs op(A), small, once for all its chunks. One tile column a chunk: equal
                // chunks balance the threads (4 chunks of a 784-wide product were 5, 5, 5 and 2
                // tiles wide, one thread doing 10 of the 17), and they cost no more (each tile
                // column's panel of op(B) is packed once either way).
                colBlocks = colTiles;
                job.kmax = job.bigK;
            } else {
                // Two chunks per thread at least, so that one the OS delays can be made up: rows first
                // (each thread packs the B panel of a column block once for all its rows).
                if (rowBlocks * colBlocks < want) {
                    rowBlocks = Math.min(rowTiles, (want + colBlocks - 1) / colBlocks);
                }
                if (rowBlocks * colBlocks < want) {
                    colBlocks = Math.min(colTiles, (want + rowBlocks - 1) / rowBlocks);
                }
            }
        }
        job.mb = mr * ((rowTiles + rowBlocks - 1) / rowBlocks);
        job.nc = nr * ((colTiles + colBlocks - 1) / colBlocks);
    }

    @Override
    public GemmWorker worker() {
        return blocks.get();
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }
}
