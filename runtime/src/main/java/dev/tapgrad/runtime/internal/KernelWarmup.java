package dev.tapgrad.runtime.internal;

import dev.tapgrad.runtime.kernel.Platform;
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
 * fallback (an array and a lambda per operation), many times slower than the same loop in scalar
 * code; a JFR profile of the flagship sample's first epoch had most of its samples in that fallback
 * ({@code FloatVector.rvOp}, {@code lanewiseTemplate}) under the conv and skinny-GEMM kernels, and
 * {@code -XX:+PrintCompilation} showed those kernels reaching C2 only after several seconds. HotSpot
 * compiles a method with C2 once it has been called about 600 times with a hot loop (or 5000 times),
 * and a step calls each conv kernel once per image, so the first epoch ran largely in the fallback.
 * Each layer's {@link AbstractLayer#warmUp} copy calls the same methods on a tiny input, so a few
 * thousand of its passes cost little even in the fallback and bring the methods to C2 early.
 *
 * <p>The thread starts when the graph is built (overlapping whatever the program does before it
 * trains, such as reading data) and {@code fit} waits for it. It works on the copies' own tensors
 * only, so it cannot change a result; it runs once per layer configuration per JVM, at most
 * {@link #ROUNDS} passes of each and {@link #BUDGET_NANOS} of CPU time in all (less once the passes run
 * {@link #COMPILED_SPEEDUP} times faster than at first: compiled), and only where the vector kernels run (elsewhere the scalar kernels
 * are compiled by C1 within the first batches and need no help). {@code -Dtapgrad.warmup=false}
 * turns it off.
 */
final class KernelWarmup {
    /** Passes of each copy: well past HotSpot's C2 thresholds for a method called with short loops. */
    static final int ROUNDS = 2000;
    /** Rounds between two looks at the clock. */
    private static final int CHECK = 100;
    /** How much faster than the first {@link #CHECK} rounds a later group must run to count as compiled. */
    private static final int COMPILED_SPEEDUP = 8;
    /**
     * CPU time one warm-up thread may use. CPU time, not wall-clock time: on a loaded machine the
     * thread gets a fraction of a core, and a wall-clock budget ran out there (measured at load 18:
     * 2 s of wall time were 10 JFR samples of work, and training then ran in the fallback anyway).
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
            return null;
        }
        List<Runnable> passes = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            WarmUp w = layers.get(i).warmUp();
            if (w != null && STARTED.add(w.key())) {
                passes.add(w.pass());
            }
        }
        if (passes.isEmpty()) {
            return null;
        }
        Thread t = new Thread(() -> run(passes), "tapgrad-warmup");
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

    private static void run(List<Runnable> passes) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuClock = threads.isCurrentThreadCpuTimeSupported();
        long end = (cpuClock ? threads.getCurrentThreadCpuTime() : System.nanoTime()) + BUDGET_NANOS;
        long firstRounds = 0;
        try {
            // Round-robin, so that every layer's kernels make progress within the budget.
            long mark = System.nanoTime();
            for (int r = 1; r <= ROUNDS && (cpuClock ? threads.getCurrentThreadCpuTime() : System.nanoTime()) < end; r++) {
                for (int i = 0; i < passes.size(); i++) {
                    passes.get(i).run();
                }
                if (r % CHECK == 0) {
                    // Once compiled, rounds run several times faster than the first ones: stop there.
                    long now = System.nanoTime();
                    if (firstRounds == 0) {
                        firstRounds = now - mark;
                    } else if ((now - mark) * COMPILED_SPEEDUP < firstRounds) {
                        return;
                    }
                    mark = now;
                }
            }
        } catch (RuntimeException e) {
            // A warm-up is an optimisation: a failure here must not reach the user; the real step reports its own.
        }
    }
}
