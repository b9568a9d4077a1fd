package dev.tapgrad.runtime.kernel.parallel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Shares the items of a loop, such as the images of a batch, between the calling thread and a few
 * daemon helpers; for layer passes that are not matrix products (a direct convolution). Nothing is
 * allocated per call: the loop's body is an object the caller keeps, the work is published through
 * volatile fields, and every thread takes chunks of items from one counter until none is left (so a
 * helper the OS preempts on a shared machine delays one chunk, not half the loop). A helper joins a
 * call only while the caller still has chunks to hand out; once the caller has run out, the call is
 * closed and the caller waits for the helpers that joined, never for one still waking up: a parked
 * helper takes tens of microseconds to run again, longer than many of a step's passes.
 *
 * <p>Each thread passes the body its slot, an index in {@code [0, slots())} no other thread uses
 * during the same call, so bodies can keep per-thread scratch arrays without locks. A body must
 * give the same result whichever thread runs an item. {@code -Dtapgrad.threads=N} sets the thread
 * count, as for the GEMM (1: everything runs in the caller). A call made while another thread's
 * loop is running, or with fewer than two chunks, runs in the caller alone, in slot 0.
 *
 * <p>The GEMM shares its large products through the same helpers ({@link #tryShare}): one helper
 * per extra core serves both, so a training step never has more runnable threads than cores, and
 * the helper that has just finished a product is still spinning when the layer pass after it (a
 * relu's derivative, the finiteness check, the optimizer's update) starts. With a pool each, the
 * passes' own helper had parked during the product and woke too late to take part: in the Vector
 * API MLP-512 step the caller ran most of those passes alone (70–90% of their profile samples).
 * While a loop is shared ({@link #sharing}), matrix products its body calls run on the thread that
 * calls them, since every core already has a part of the work (an LSTM's recurrence over parts of a
 * batch makes one small product per step and part).
 */
public final class ParallelFor {
    /** The work of one call: items {@code [from, to)}, run in slot {@code slot}. */
    @FunctionalInterface
    public interface Body {
        /** Runs items {@code [from, to)} on the calling thread, which owns {@code slot} meanwhile. */
        void run(int from, int to, int slot);
    }

    /**
     * The work of one call over arrays and a value passed with that call, so that a layer hands
     * its pass the call's tensors as arguments instead of keeping them in fields: items
     * {@code [from, to)}, run in slot {@code slot}.
     */
    @FunctionalInterface
    public interface ArrayBody {
        /** Runs items {@code [from, to)} of the call whose arguments are {@code a, b, c, value}. */
        void run(float[] a, float[] b, float[] c, float value, int from, int to, int slot);
    }

    /**
     * How long an idle helper (or a caller waiting for one) spins before parking: a training step's
     * next product or pass usually follows within microseconds, and a parked helper takes tens of
     * microseconds to run again. With one pool for products and passes no other helper needs the
     * core meanwhile.
     */
    private static final long SPIN_NANOS = 50_000;
    private static final int THREADS = threads();
    private static final ParallelFor POOL = THREADS > 1 ? new ParallelFor(THREADS) : null;

    private final Thread[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger nextChunk = new AtomicInteger();
    /** Which helpers take part in the current call. */
    private final JoinGate gate = new JoinGate();
    /** Incremented to publish a call; the fields below are written before it. */
    private final AtomicLong generation = new AtomicLong();
    private volatile Thread caller;
    private volatile Throwable failure;
    private Body body;
    /** The {@link ArrayBody} of the current call and its arguments, when it is not a {@link Body}. */
    private ArrayBody arrayBody;
    private float[] a;
    private float[] b;
    private float[] c;
    private float value;
    private int items;
    private int grain;
    private int chunks;

    private ParallelFor(int threads) {
        helpers = new Thread[threads - 1];
        for (int w = 0; w < helpers.length; w++) {
            int slot = w + 1;
            Thread t = new Thread(() -> work(slot), "tapgrad-parallel-" + slot);
            t.setDaemon(true);
            helpers[w] = t;
            t.start();
        }
    }

    /** The number of slots a body may be given: size per-thread scratch by it. */
    public static int slots() {
        return THREADS;
    }

    /**
     * Runs {@code body} over items {@code [0, items)} in chunks of {@code grain} items, sharing the
     * chunks between threads; returns when all are done.
     *
     * @throws IllegalArgumentException if {@code items} is negative or {@code grain} not positive
     * @throws RuntimeException what the body threw (from a helper, wrapped in an IllegalStateException)
     */
    public static void run(int items, int grain, Body body) {
        if (shareable(items, grain)) {
            POOL.share(items, grain, body, null, null, null, null, 0f);
        } else if (items > 0) {
            body.run(0, items, 0);
        }
    }

    /** The helpers every layer pass and product shares, or null when one thread runs everything. */
    public static ParallelFor shared() {
        return POOL;
    }

    /**
     * A pool of its own with {@code threads − 1} daemon helpers, for tests that share work between
     * more threads than the machine has cores; everything else uses {@link #shared}.
     *
     * @throws IllegalArgumentException if {@code threads} is below 2
     */
    public static ParallelFor withThreads(int threads) {
        if (threads < 2) {
            throw new IllegalArgumentException("ParallelFor.withThreads: " + threads + " threads; a pool needs 2 or more");
        }
        return new ParallelFor(threads);
    }

    /** The number of threads that can take part in a call: the helpers and the caller. */
    public int size() {
        return helpers.length + 1;
    }

    /**
     * Runs {@code body} over items {@code [0, items)} in chunks of {@code grain} on this pool's
     * threads and returns true; or returns false, having run nothing, when this pool is busy with
     * another call or the items make fewer than two chunks (the caller then runs them itself).
     *
     * @throws IllegalArgumentException if {@code items} is negative or {@code grain} not positive
     * @throws RuntimeException what the body threw (from a helper, wrapped in an IllegalStateException)
     */
    public boolean tryShare(int items, int grain, Body body) {
        checkArguments(items, grain);
        if ((items + (long) grain - 1) / grain < 2 || !busy.compareAndSet(false, true)) {
            return false;
        }
        share(items, grain, body, null, null, null, null, 0f);
        return true;
    }

    /**
     * {@link #run(int, int, Body)} for a body that takes the call's arrays {@code a, b, c} and
     * {@code value} as arguments (any of the arrays may be null).
     *
     * @throws IllegalArgumentException if {@code items} is negative or {@code grain} not positive
     * @throws RuntimeException what the body threw (from a helper, wrapped in an IllegalStateException)
     */
    public static void run(int items, int grain, ArrayBody body, float[] a, float[] b, float[] c, float value) {
        if (shareable(items, grain)) {
            POOL.share(items, grain, null, body, a, b, c, value);
        } else if (items > 0) {
            body.run(a, b, c, value, 0, items, 0);
        }
    }

    /** Checks the arguments; true when the pool is taken for this call (two chunks at least, no other loop running). */
    private static boolean shareable(int items, int grain) {
        checkArguments(items, grain);
        long chunks = (items + (long) grain - 1) / grain;
        return POOL != null && chunks >= 2 && POOL.busy.compareAndSet(false, true);
    }

    private static void checkArguments(int items, int grain) {
        if (items < 0 || grain <= 0) {
            throw new IllegalArgumentException("ParallelFor.run: items " + items + " must be >= 0 and grain "
                    + grain + " positive");
        }
    }

    /**
     * Whether the shared pool's helpers are taken right now (by a loop or a product): the GEMM then
     * computes its products on the thread that calls them, since every core already has a part of
     * the work.
     */
    public static boolean sharing() {
        return POOL != null && POOL.busy.get();
    }

    private void share(int items, int grain, Body body, ArrayBody arrayBody, float[] a, float[] b, float[] c,
            float value) {
        try {
            this.body = body;
            this.arrayBody = arrayBody;
            this.a = a;
            this.b = b;
            this.c = c;
            this.value = value;
            this.items = items;
            this.grain = grain;
            this.chunks = (int) ((items + (long) grain - 1) / grain);
            nextChunk.set(0);
            failure = null;
            caller = Thread.currentThread();
            gate.open(); // publishes the fields above to the helpers that join
            generation.incrementAndGet();
            for (Thread h : helpers) {
                LockSupport.unpark(h);
            }
            Throwable own = null;
            try {
                takeChunks(0);
            } catch (Throwable t) {
                own = t;
            }
            // Closed: a helper waking from now on finds nothing to do and is not waited for.
            gate.closeAndAwait(SPIN_NANOS, this);
            if (own != null) {
                throw own instanceof RuntimeException ? (RuntimeException) own : new IllegalStateException(own);
            }
            Throwable f = failure;
            if (f != null) {
                throw new IllegalStateException("ParallelFor: a helper thread failed", f);
            }
        } finally {
            // The call's arrays are not kept past the call.
            this.body = null;
            this.arrayBody = null;
            this.a = null;
            this.b = null;
            this.c = null;
            busy.set(false);
        }
    }

    private void takeChunks(int slot) {
        int chunk;
        while ((chunk = nextChunk.getAndIncrement()) < chunks) {
            int from = chunk * grain;
            int to = Math.min(items, from + grain);
            if (arrayBody != null) {
                arrayBody.run(a, b, c, value, from, to, slot);
            } else {
                body.run(from, to, slot);
            }
        }
    }

    private void work(int slot) {
        long seen = 0;
        while (true) {
            seen = SpinPark.awaitChange(generation, seen, SPIN_NANOS, this);
            if (!gate.join()) {
                continue;
            }
            try {
                takeChunks(slot);
            } catch (Throwable t) {
                failure = t;
                nextChunk.set(chunks); // the others stop taking chunks
            }
            gate.leave(caller);
        }
    }

    private static int threads() {
        Integer set = Integer.getInteger("tapgrad.threads");
        int t = set != null && set > 0 ? set : Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min(t, 64));
    }
}
