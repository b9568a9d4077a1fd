package dev.tapgrad.runtime.internal.tensor;

/**
 * Where the random ops ({@code randomNormal}, {@code randomUniform}) take their numbers from: the
 * graph's seeded, counter-based generator while its workspace is open, numbered draw by draw within
 * a step, so a step's numbers are a pure function of (seed, step, draw, element). A step makes the
 * same draws in the same order every time (its code is straight-line), so the same seed gives the
 * same run, and {@code gradients} sees the draws {@code fit}'s next step will make. Nothing is
 * allocated per draw.
 *
 * <p>Outside a graph's step (an op called eagerly) the numbers come from a per-thread generator
 * seeded with 0 whose draws are numbered from the thread's first: deterministic for a program that
 * makes the same calls in the same order.
 */
public final class Draws {
    /** A counter-based generator: the same arguments give the same number within a step. */
    @FunctionalInterface
    public interface Source {
        /** A uniform number in [0, 1) for element {@code index} of draw {@code draw}. */
        double uniform(int draw, long index);
    }

    private static final ThreadLocal<Draws> EAGER = ThreadLocal.withInitial(() -> new Draws(Draws::splitMix));

    private final Source source;
    private int next;

    /** Draws from {@code source}, numbered from 0 after each {@link #restart()}. */
    public Draws(Source source) {
        this.source = source;
    }

    /** Numbers the next step's draws from 0 again; the workspace calls it when a step starts. */
    public void restart() {
        next = 0;
    }

    /** Claims the next draw of this step, whose elements {@link #uniform} then gives. */
    public int next() {
        return next++;
    }

    /** A uniform number in [0, 1) for element {@code index} of draw {@code draw}. */
    public double uniform(int draw, long index) {
        return source.uniform(draw, index);
    }

    /** The draws of the graph whose workspace is open on this thread, or the eager ones. */
    public static Draws current() {
        Draws d = Workspace.currentDraws();
        return d != null ? d : EAGER.get();
    }

    /** SplitMix64 on (draw, index) with seed 0, for draws outside a graph. */
    private static double splitMix(int draw, long index) {
        long z = mix(0x9E3779B97F4A7C15L * (draw + 1L)) ^ index;
        return (mix(z) >>> 11) * 0x1.0p-53;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
