package dev.tapgrad.runtime.kernel.conv;

import dev.tapgrad.runtime.kernel.Platform;

/**
 * The first largest value of a channels-last pooling window, all channels of one output pixel at
 * once, on the Vector API where {@link Platform#vectorUsable} allows and the channels fill whole
 * vectors; elsewhere the caller keeps its own scalar loop ({@link #suits} says which). A window's
 * positions are {@code first + y·rowStep + x·channels} for y in [0, rows), x in [0, cols). A
 * kernel, not user API: public for {@code layers.MaxPool2D}.
 */
public final class MaxPoolWindows {
    /** What the vector path provides; {@code VectorMaxPool} is loaded by name only where the module is present. */
    interface Impl {
        /** Float lanes per vector. */
        int lanes();

        void window(float[] in, int first, int rows, int cols, int rowStep, int channels, float[] out, int[] winners,
                int dst);
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
