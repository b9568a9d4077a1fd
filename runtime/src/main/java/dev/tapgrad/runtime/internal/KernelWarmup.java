package dev.tapgrad.runtime.internal;

import dev.tapgrad.runtime.kernel.Platform;
import dev.tapgrad.runtime.kernel.math.ParameterMath;
import dev.tapgrad.runtime.layers.AbstractLayer;
import dev.tapgrad.runtime.layers.WarmUp;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Warms the Vector API kernels of a new graph's layers in a background thread (issue 17 item 3).
 *
 * <p>Why: until C2 has compiled a Vector API kernel, each vector operation runs as the API's Java
 * fallback (an array and a lambda per operation; C1 does not intrinsify the API), many times
 * slower than the same loop in scalar code, and a step calls each conv kernel once per image, so
 * without help the flagship sample's first epoch ran its kernels in the fallback for its first
 * batches. Each layer's {@link AbstractLayer#warmUp} copy calls the same kernel methods on a small
 * input, whose passes cost little even in the fallback and take the methods past C2's thresholds.
 *
 * <p>When it stops (bench/README.md has the measurements): once a stretch of rounds, after at least
 * {@link #MIN_ROUNDS}, allocates next to nothing. The layers' passes allocate nothing, and the
 * Vector API's fallback allocates at every operation, so an allocation-free round is one whose
 * every vector operation ran as C2 code. The earlier rules stopped too soon: a fixed 2000 rounds
 * or "8 times faster than the first rounds" ended while C2 had not compiled the conv kernels yet
 * (HotSpot has one C2 thread on two cores, and it compiles the hottest queued methods first; the
 * fallback's own methods are hotter than the kernels that call them), and idle compilers are no
 * sign either (a kernel that C1 recompiled with profiling is in no queue while it counts again).
 * Running on also keeps the kernels' queued C2 compilations from being dropped as stale (HotSpot
 * drops a queued method not called for 50 ms).
 *
 * <p>The thread starts when the graph is built (overlapping whatever the program does before it
 * trains, such as reading data) and {@code fit} waits for it: on two cores the training step already
 * uses both, and a step run before the kernels are compiled costs more than the warm-up. It works
 * on the copies' own tensors only, so it cannot change a result; it runs once per layer
 * configuration per JVM, at most {@link #ROUNDS} rounds and {@link #BUDGET_NANOS} of its own CPU
 * time, and only where the vector kernels run (elsewhere the scalar kernels are compiled by C1
 * within the first batches and need no help). {@code -Dtapgrad.warmup=false} turns it off;
 * {@code -Dtapgrad.warmup.log=true} prints what it did on standard error.
 */
final class KernelWarmup {
    /** Most rounds: reached only if the compilers never go idle. */
    static final int ROUNDS = 10_000;
    /**
     * Rounds before the warm-up may stop on idle compilers: with each copy's loops sized as
     * {@link AbstractLayer#warmUp} asks (some two dozen iterations a call), C2's thresholds (600
     * calls and 15,000 calls plus loop iterations, looked at every 1024 calls or 8192 iterations)
     * are passed by about 700 rounds; before that, idle compilers only mean they have not been asked yet.
     */
    static final int MIN_ROUNDS = 800;
    /** The warm-up thread's CPU time between two looks at its allocations. */
    private static final long LOOK_NANOS = 20_000_000L;
    /**
     * Bytes a round may allocate and count as compiled: the layers' passes allocate nothing (the
     * allocation test holds them to it), and one vector operation in the fallback allocates an
     * array and a vector, some 100 bytes with 16 lanes; a pass in the fallback runs hundreds.
     */
    private static final long COMPILED_BYTES = 64;
    /**
     * CPU time one warm-up thread may use. CPU time, not wall-clock time: on a loaded machine the
     * thread gets a fraction of a core, and a wall-clock budget ran out there (measured at load 18:
     * 2 s of wall time were 10 JFR samples of work, and training then ran in the fallback anyway).
     * The flagship sample needed 1.1 to 2.1 s of it on the loaded machine (bench/README.md).
     */
    static final long BUDGET_NANOS = 2_000_000_000L;
    /** How long {@code fit} waits at most, however slowly the warm-up progresses. */
    static final long WAIT_MILLIS = 15_000;
    private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

    private KernelWarmup() {}

    /** Whether warm-ups run in this JVM: the vector kernels are in use and no one turned them off. */
    static boolean enabled() {
        return Platform.vectorUsable() && !"false".equalsIgnoreCase(System.getProperty("tapgrad.warmup"));
    }

    /**
     * Starts a daemon thread running the warm-ups of {@code layers} not yet started in this JVM and
     * returns it; null if there is nothing to warm.
     */
    static Thread start(List<AbstractLayer> layers) {
        if (!enabled()) {
            Platform.prepareVectorOperations();
            return null;
        }
        List<WarmUp> passes = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            WarmUp w = layers.get(i).warmUp();
            if (w != null && STARTED.add(w.key())) {
                passes.add(w);
            }
        }
        if (passes.isEmpty()) {
            Platform.prepareVectorOperations();
            return null;
        }
        // The optimizer's and the finiteness check's kernels run every step too, whatever the layers.
        if (STARTED.add("ParameterMath")) {
            passes.add(new WarmUp("ParameterMath", ParameterMath.warmUpPass()));
        }
        Thread t = new Thread(() -> {
            // before any copy runs a kernel, so that no operation is first used once C2 compiles
            Platform.prepareVectorOperations();
            run(passes);
        }, "tapgrad-warmup");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Waits for {@code warmup} (from {@link #start}; null: nothing to wait for) to finish, at most
     * {@link #WAIT_MILLIS}. Training waits rather than running beside it: on two cores the training step already
     * uses both, and a step run before the kernels are compiled costs more than the warm-up (measured:
     * with the warm-up beside training, the first epoch still spent most of its time in the fallback).
     */
    static void await(Thread warmup) {
        if (warmup == null) {
            return;
        }
        try {
            warmup.join(WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(List<WarmUp> passes) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuClock = threads.isCurrentThreadCpuTimeSupported();
        // Allocation is the sign of the fallback: a pass allocates nothing once C2 runs its kernels.
        com.sun.management.ThreadMXBean bytes = threads instanceof com.sun.management.ThreadMXBean b
                && b.isThreadAllocatedMemorySupported() && b.isThreadAllocatedMemoryEnabled() ? b : null;
        long self = Thread.currentThread().getId();
        long begin = cpuClock ? threads.getCurrentThreadCpuTime() : System.nanoTime();
        long wallBegin = System.nanoTime();
        long look = begin;
        long lookBytes = bytes == null ? 0 : bytes.getThreadAllocatedBytes(self);
        int lookRound = 0;
        int r = 0;
        String why = "all " + ROUNDS + " rounds";
        try {
            // Round-robin, so that every layer's kernels make progress within the budget.
            for (r = 1; r <= ROUNDS; r++) {
                for (int i = 0; i < passes.size(); i++) {
                    WarmUp w = passes.get(i);
                    if (r % w.period() == 0) {
                        w.pass().run();
                    }
                }
                long now = cpuClock ? threads.getCurrentThreadCpuTime() : System.nanoTime();
                if (now - begin >= BUDGET_NANOS) {
                    why = "budget spent";
                    break;
                }
                if (bytes != null && now - look >= LOOK_NANOS) {
                    // Done once a look's rounds, past the thresholds, allocated next to nothing:
                    // every vector operation of every pass ran as C2 code. Until then the passes
                    // go on, which also keeps the kernels' queued C2 compilations from being
                    // dropped as stale.
                    long allocated = bytes.getThreadAllocatedBytes(self);
                    if (r >= MIN_ROUNDS && allocated - lookBytes < COMPILED_BYTES * (long) (r - lookRound)) {
                        why = "passes allocation-free (compiled)";
                        break;
                    }
                    look = now;
                    lookBytes = allocated;
                    lookRound = r;
                }
            }
        } catch (RuntimeException e) {
            // A warm-up is an optimisation: a failure here must not reach the user; the real step reports its own.
            why = "failed: " + e;
        }
        if (Boolean.getBoolean("tapgrad.warmup.log")) {
            long cpu = (cpuClock ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - begin;
            System.err.printf(java.util.Locale.ROOT, "tapgrad warm-up: %d passes, %d rounds, %.0f ms CPU, %.0f ms wall, %s%n",
                    passes.size(), Math.min(r, ROUNDS), cpu / 1e6, (System.nanoTime() - wallBegin) / 1e6, why);
        }
    }
}
