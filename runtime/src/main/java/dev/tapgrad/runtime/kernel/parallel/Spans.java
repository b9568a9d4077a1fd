package dev.tapgrad.runtime.kernel.parallel;

/**
 * A fixed partition of several arrays (a model's parameters, their gradients, an optimizer's
 * moments: one length per array) into spans of at most {@link #GRAIN} values, for the passes a
 * training step makes over all of them: the finiteness check, the optimizer's update, the
 * zeroing of the gradients. {@link #run} shares the spans between the {@link ParallelFor}
 * threads. The partition depends on the lengths only, so a reduction that keeps one partial per
 * span and combines them in span order gives the same bits whichever thread ran which span.
 *
 * <p>Built once per parameter list; running allocates nothing.
 */
public final class Spans {
    /** Values per span: 64 KB of floats, enough to amortise taking a chunk, small enough to balance two threads. */
    public static final int GRAIN = 16_384;
    /** Below this many values in all, a pass runs on the calling thread: waking a helper costs more. */
    static final long PARALLEL_MIN = 65_536;

    private final int[] array;
    private final int[] from;
    private final int[] to;
    private final long total;

    /**
     * The spans of arrays with these lengths, array by array, each cut into pieces of at most
     * {@link #GRAIN} values (empty arrays have no span).
     */
    public Spans(int[] lengths) {
        int count = 0;
        long sum = 0;
        for (int n : lengths) {
            count += (n + GRAIN - 1) / GRAIN;
            sum += n;
        }
        array = new int[count];
        from = new int[count];
        to = new int[count];
        int s = 0;
        for (int a = 0; a < lengths.length; a++) {
            for (int start = 0; start < lengths[a]; start += GRAIN) {
                array[s] = a;
                from[s] = start;
                to[s] = Math.min(lengths[a], start + GRAIN);
                s++;
            }
        }
        total = sum;
    }

    /** The number of spans. */
    public int count() {
        return array.length;
    }

    /** The array span {@code s} belongs to, an index into the lengths. */
    public int array(int s) {
        return array[s];
    }

    /** The first index of span {@code s} in its array. */
    public int from(int s) {
        return from[s];
    }

    /** The end (exclusive) of span {@code s} in its array. */
    public int to(int s) {
        return to[s];
    }

    /**
     * Runs {@code body} over the span indices {@code [0, count())}: shared between the threads
     * when there is enough work, else on the calling thread. The body must give the same result
     * whichever thread runs a span.
     */
    public void run(ParallelFor.Body body) {
        if (total >= PARALLEL_MIN) {
            ParallelFor.run(array.length, 1, body);
        } else if (array.length > 0) {
            body.run(0, array.length, 0);
        }
    }
}
