package dev.tapgrad.runtime.layers;

/**
 * Whether a graph's step runs the training forward or inference, shared by the graph with the
 * layers that behave differently in the two (Dropout, BatchNorm). The graph sets it before each
 * step, so a step allocates nothing and generated code does not pass it around; layers only read
 * it.
 *
 * <p>Dropout masks are a pure function of (seed, layer, step, element), drawn with a counter-based
 * generator: {@code fit} advances the step after each training step, {@code gradients} draws the
 * masks of the current step without advancing it, so calling {@code gradients} changes nothing
 * that a later {@code fit} sees, and the same seed gives the same run.
 */
public final class Mode {
    private final long seed;
    private boolean training;
    private boolean updatesStatistics;
    private long step;

    /** Inference, at step 0, with dropout masks drawn from {@code seed}. */
    public Mode(long seed) {
        // mixed so that the masks do not correlate with the weight initialisation's new Random(seed)
        this.seed = mix(seed ^ 0x5DEECE66DL);
    }

    /** The training forward of {@code fit}: dropout, batch statistics, and moving statistics updated. */
    public void fitting() {
        training = true;
        updatesStatistics = true;
    }

    /** The training forward of {@code gradients}: dropout and batch statistics, nothing updated. */
    public void differentiating() {
        training = true;
        updatesStatistics = false;
    }

    /** Inference, for {@code evaluate} and {@code predict}: no dropout, moving statistics. */
    public void inferring() {
        training = false;
        updatesStatistics = false;
    }

    /** Moves to the next training step's dropout masks; {@code fit} calls it after each step. */
    public void advance() {
        step++;
    }

    /** Whether the forward is the training one. */
    public boolean training() {
        return training;
    }

    /** Whether a training forward also updates moving statistics ({@code fit}, not {@code gradients}). */
    public boolean updatesStatistics() {
        return updatesStatistics;
    }

    /** Moves to training step {@code step}'s draws (a backup being restored). */
    public void seek(long step) {
        this.step = step;
    }

    /** The training steps taken so far. */
    public long step() {
        return step;
    }

    /**
     * A uniform number in [0, 1) for element {@code index} of layer {@code layer}'s draw at the
     * current step: the same arguments at the same step give the same number.
     */
    public double uniform(int layer, long index) {
        return uniformOfKey(drawKey(layer), index);
    }

    /**
     * The part of {@link #uniform(int, long)} that depends only on the step and the layer: a layer
     * that draws for many elements computes it once per step and then calls {@link #uniformOfKey}
     * per element (the same numbers, a third of the mixing).
     */
    public long drawKey(int layer) {
        long h = mix(seed + 0x9E3779B97F4A7C15L * (step + 1));
        return mix(h ^ (0xBF58476D1CE4E5B9L * (layer + 1)));
    }

    /** {@link #uniform(int, long)} for element {@code index} of the draw whose {@link #drawKey} is {@code key}. */
    public static double uniformOfKey(long key, long index) {
        return drawBitsOfKey(key, index) * 0x1.0p-53;
    }

    /**
     * The 53 bits behind {@link #uniformOfKey}: that number is exactly these bits times 2⁻⁵³, so a
     * comparison with a probability can be made on the bits ({@link #leastBitsAtLeast}) without
     * converting each draw to a double.
     */
    public static long drawBitsOfKey(long key, long index) {
        return mix(key ^ index) >>> 11;
    }

    /**
     * The least draw bits whose uniform number is at least {@code p}: for p in [0, 1],
     * {@code uniformOfKey(k, i) >= p} exactly when {@code drawBitsOfKey(k, i) >= leastBitsAtLeast(p)}
     * (both sides scaled by 2⁵³, exact for a power of two; the bits are an integer, hence the ceiling).
     */
    public static long leastBitsAtLeast(double p) {
        return (long) Math.ceil(p * 0x1.0p53);
    }

    /** SplitMix64's finaliser: a bijective mix of 64 bits. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
