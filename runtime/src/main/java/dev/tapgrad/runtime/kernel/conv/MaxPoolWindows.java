package dev.tapgrad.runtime.kernel.conv;

import dev.tapgrad.runtime.kernel.Platform;

/**
 * The first largest value of a channels-last pooling window, all channels of one output pixel at
 * once, on the Vector API where {@link Platform#vectorUsable} allows and the channels fill whole
 * vectors; elsewhere the caller keeps its own scalar loop ({@link #suits} says which). A window's
 * positions are {@code first + y·rowStep + x·channels} for y in [0, rows), x in [0, cols). A
 * kernel, not user API: public for {@code layers.MaxPool2D}.
 *
 * <p>{@link #firstLargest4} is the portable path's 2×2 window, written for HotSpot C2's
 * auto-vectoriser (see {@code kernel.gemm.RowKernels}): JDK 17 vectorises a loop only when every
 * array is indexed by the loop variable itself (an offset, even a loop-invariant one, leaves it
 * scalar) and its body is small (it unrolls before it packs), and it has no vector select or
 * compare. So the caller copies the windows' four positions into arrays of their own, and the
 * first largest value is found in four small loops of min, max and arithmetic that are exact on
 * the 0/1 and 0…3 values they make (measured, JDK 17, rows of 416: 4× the scalar long-compare
 * loop with the copies included).
 */
public final class MaxPoolWindows {
    /** What the vector path provides; {@code VectorMaxPool} is loaded by name only where the module is present. */
    interface Impl {
        /** Float lanes per vector. */
        int lanes();

        void window(float[] in, int first, int rows, int cols, int rowStep, int channels, float[] out, int[] winners,
                int dst);

        void pairWindow(float[] in, int first, int rowStep, int channels, float[] out, float[] positions, int dst);

        void pairGradient(float[] g, float[] positions, int src, float[] dx, int first, int rowStep, int channels);
    }

    private static final Impl VECTOR = load();

    private MaxPoolWindows() {}

    /**
     * Whether {@link #window} can take windows of {@code channels} channels: the vector path is
     * loaded and the channels are whole vectors. {@code -Dtapgrad.vector.pool=false} is read on
     * every call, so tests and benchmarks can compare both paths.
     */
    public static boolean suits(int channels) {
        return VECTOR != null && channels % VECTOR.lanes() == 0
                && !"false".equalsIgnoreCase(System.getProperty("tapgrad.vector.pool"));
    }

    /**
     * For each channel c, {@code out[dst + c]} becomes the window's first largest value (a NaN
     * above every number, a later equal value, −0 after +0 too, never replacing an earlier one)
     * and {@code winners[dst + c]} its flat index in {@code in}: the same winners and output bits
     * as MaxPool2D's scalar loop. Only where {@link #suits}.
     */
    public static void window(float[] in, int first, int rows, int cols, int rowStep, int channels, float[] out,
            int[] winners, int dst) {
        VECTOR.window(in, first, rows, cols, rowStep, channels, out, winners, dst);
    }

    /**
     * {@link #window} for a 2×2 window at {@code first} (positions {@code first}, {@code +
     * channels}, {@code + rowStep}, {@code + rowStep + channels}), the winner recorded as its
     * position 0…3 in window order, as a float in {@code positions[dst + c]} (as {@link
     * #firstLargest4} records it): the same output bits and winners. Float vectors only: int
     * vectors and mask casts in the kernels put more types through the Vector API's shared
     * methods, whose recorded deoptimizations every later kernel compilation then counts against
     * C2's budget (bench/README, "The Vector API's shared trap budget").
     */
    public static void pairWindow(float[] in, int first, int rowStep, int channels, float[] out, float[] positions,
            int dst) {
        VECTOR.pairWindow(in, first, rowStep, channels, out, positions, dst);
    }

    /**
     * dL/dx of one 2×2 window (positions as {@link #pairWindow}) from its output's gradients at
     * {@code g[src …]} and the winners' positions {@link #pairWindow} recorded at {@code
     * positions[src …]}: each of the four positions' channels overwritten with {@code 0 + g}
     * where it is the winner and +0 elsewhere, the bits of zeroing dL/dx and adding each gradient
     * at its winner (a −0 gradient becomes +0 there too). For windows that do not overlap; only
     * where {@link #suits}.
     */
    public static void pairGradient(float[] g, float[] positions, int src, float[] dx, int first, int rowStep,
            int channels) {
        VECTOR.pairGradient(g, positions, src, dx, first, rowStep, channels);
    }

    /** 2^75: a positive difference of two floats is at least 2^-149, so times this twice it is at least 2. */
    private static final float SCALE = 0x1p75f;
    private static final float BIG = Float.MAX_VALUE;

    /**
     * The first largest of four values in window order ({@code a}, {@code b}, {@code c},
     * {@code d}: a 2×2 window's rows, left to right) for each {@code j < n}: {@code out[j]} becomes
     * that value bit for bit (a −0 before a +0 stays −0) and {@code index[j]} its position 0…3, as
     * MaxPool2D's scalar scan would give them, wherever the window's largest value is finite. A
     * window whose largest value is NaN or infinite makes its {@code out[j]} NaN, and then
     * {@code check[j]} NaN (it is otherwise added zeros): the caller redoes such windows with its
     * exact scan. {@code max} is scratch; every array holds at least {@code n}.
     */
    public static void firstLargest4(int n, float[] a, float[] b, float[] c, float[] d, float[] max, float[] index,
            float[] out, float[] check) {
        largest(n, a, b, c, d, max);
        firstIndex(n, a, b, c, max, index);
        pickFirstHalf(n, a, b, index, out);
        pickSecondHalf(n, c, d, index, out, check);
    }

    /** {@code max[j]}: the largest of the four by Math.max (NaN if any is NaN, +0 over −0); it is one of them numerically. */
    private static void largest(int n, float[] a, float[] b, float[] c, float[] d, float[] max) {
        for (int j = 0; j < n; j++) {
            max[j] = Math.max(Math.max(a[j], b[j]), Math.max(c[j], d[j]));
        }
    }

    /**
     * {@code index[j]}: the first k whose value equals the max. With a finite max m ≥ v, m − v is 0
     * exactly when v == m (gradual underflow) and otherwise at least 2^-149 or +∞, so
     * {@code min(1, (m − v)·2^75·2^75)} is 0 for an equal value and 1 for a smaller one; the
     * first equal among a, b, c (else d) is then {@code n0·(1 + n1·(1 + n2))}. A NaN or infinite
     * max gives a NaN index.
     */
    private static void firstIndex(int n, float[] a, float[] b, float[] c, float[] max, float[] index) {
        for (int j = 0; j < n; j++) {
            float m = max[j];
            float n0 = Math.min(1f, (m - a[j]) * SCALE * SCALE);
            float n1 = Math.min(1f, (m - b[j]) * SCALE * SCALE);
            float n2 = Math.min(1f, (m - c[j]) * SCALE * SCALE);
            index[j] = n0 * (1f + n1 * (1f + n2));
        }
    }

    /**
     * The winner's own bits without a select: each value minus {@code Float.MAX_VALUE} unless it is
     * the winner (minus +0, which keeps −0), so the winner is strictly the largest of the four
     * (v − MAX_VALUE is below any v' ≥ v) and Math.max returns it unchanged. These two loops
     * would be one if C2 took a body that size.
     */
    private static void pickFirstHalf(int n, float[] a, float[] b, float[] index, float[] out) {
        for (int j = 0; j < n; j++) {
            float k = index[j];
            out[j] = Math.max(a[j] - Math.min(1f, Math.abs(k)) * BIG, b[j] - Math.min(1f, Math.abs(k - 1f)) * BIG);
        }
    }

    /** The second half of {@link #pickFirstHalf}; {@code check[j]} gains 0, or NaN where the index (so the max) was not finite. */
    private static void pickSecondHalf(int n, float[] c, float[] d, float[] index, float[] out, float[] check) {
        for (int j = 0; j < n; j++) {
            float k = index[j];
            float v = Math.max(out[j], Math.max(c[j] - Math.min(1f, Math.abs(k - 2f)) * BIG,
                    d[j] - Math.min(1f, Math.abs(k - 3f)) * BIG));
            out[j] = v;
            check[j] += v - v;
        }
    }

    /**
     * The gradient of a row of 2×2 windows spread over their positions, {@link #firstLargest4}'s
     * inverse: {@code ga[j]} ({@code gb}, {@code gc}, {@code gd}) becomes {@code 0 + g[j]} where
     * {@code index[j]} is 0 (1, 2, 3) and +0 elsewhere, the bits a scatter of g into zeros gives.
     * Where g[j] is NaN or infinite the +0s would be NaN: {@code check[j]} then gains NaN
     * (otherwise zeros) and the caller scatters instead.
     */
    public static void spread4(int n, float[] g, float[] index, float[] ga, float[] gb, float[] gc, float[] gd,
            float[] check) {
        spreadChecked(n, g, index, ga, check);
        spread(n, g, index, 1f, gb);
        spread(n, g, index, 2f, gc);
        spread(n, g, index, 3f, gd);
    }

    /** {@code out[j] = 0 + g[j]·[index[j] == k]}, the indicator {@code 1 − min(1, |index − k|)} of the integer-valued index. */
    private static void spread(int n, float[] g, float[] index, float k, float[] out) {
        for (int j = 0; j < n; j++) {
            out[j] = 0f + g[j] * (1f - Math.min(1f, Math.abs(index[j] - k)));
        }
    }

    /** {@link #spread} for position 0, adding {@code g − g} (0, or NaN for a NaN or infinite g) to {@code check}. */
    private static void spreadChecked(int n, float[] g, float[] index, float[] out, float[] check) {
        for (int j = 0; j < n; j++) {
            float v = g[j];
            out[j] = 0f + v * (1f - Math.min(1f, Math.abs(index[j])));
            check[j] += v - v;
        }
    }

    private static Impl load() {
        if (!Platform.vectorUsable()) {
            return null; // the module, FMA or C2 is missing, or vectors are switched off
        }
        try {
            Impl impl = (Impl) Class.forName("dev.tapgrad.runtime.kernel.conv.VectorMaxPool").getDeclaredConstructor()
                    .newInstance();
            // Fewer than 4 lanes: the vectors would not pay for themselves.
            return impl.lanes() >= 4 ? impl : null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }
}
