package dev.tapgrad.runtime.layers;

/**
 * A layer's kernel warm-up ({@link AbstractLayer#warmUp}): {@code key} names the configuration (the
 * kernels a layer runs depend on it, not on the layer's name), so that one warm-up per configuration
 * runs in a JVM however many graphs hold such a layer; each {@code pass} runs the small copy
 * forward and backward once; the warm-up runs it every {@code period}-th round.
 *
 * <p>Why a period: the warm-up runs until C2 has compiled every kernel, and a copy whose kernels
 * run many times a pass (a GEMM's tiles) needs fewer passes than one whose kernels run once a
 * pass (a convolution's, once per image). Passes beyond what its kernels need make the copy's
 * own layer methods hot enough for C2 as well, compilations that only delay the kernels' on
 * HotSpot's single C2 thread (Dense's backward, measured: half a second of C2 time).
 *
 * @param key the configuration
 * @param pass one forward and backward pass of the copy
 * @param period run the pass every this many rounds, at least 1
 */
public record WarmUp(String key, Runnable pass, int period) {
    /** Checks the period. */
    public WarmUp {
        if (period < 1) {
            throw new IllegalArgumentException("WarmUp " + key + ": the period must be at least 1, got " + period);
        }
    }

    /** A warm-up that runs in every round. */
    public WarmUp(String key, Runnable pass) {
        this(key, pass, 1);
    }
}
