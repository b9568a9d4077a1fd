package dev.tapgrad.runtime.kernel.gemm;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One product as a {@link GemmKernel}'s workers compute it: {@code P = op(A)·op(B)} of shape
 * (M, N), cut into chunks of {@link #mb} rows by {@link #nc} columns (the kernel's plan) that the
 * threads take from a counter (so a thread that the OS preempts holds up no more than one chunk),
 * one slice of at most {@link #kmax} rows of op(B) at a time. Reused from product to product; its
 * fields are published to other threads by {@link GemmPool}.
 */
final class GemmJob {
    /** Source of {@link #id}: a thread's packed panel is valid only for the slice it was packed for. */
    private static final AtomicLong IDS = new AtomicLong();

    /** The kernel whose workers compute this job. */
    GemmKernel kernel;
    boolean transA;
    boolean transB;
    int bigM;
    int bigN;
    int bigK;
    float[] a;
    float[] b;
    float[] c;
    boolean accumulate;
    /** Whether P is Cᵀ, so that row i of P is column i of C. */
    boolean transposedOut;

    /** Rows of a chunk (the last one may be shorter), set by the kernel's plan. */
    int mb;
    /** Width of a chunk (the last one may be narrower), set by the kernel's plan. */
    int nc;
    /** Most rows of op(B) per slice, set by the kernel's plan. */
    int kmax;
    int rowBlocks;
    /**
     * Parts of k computed as separate chunks into {@link #partials} and summed, in part order, by
     * the kernel's {@link GemmKernel#finish}; 1 (the default) for none. Set by the plan from the
     * shape only, so the order of the sums does not depend on the threads.
     */
    int kParts;
    /** Length of a part of k when {@link #kParts} is above 1 (the last part may be shorter). */
    int kPart;
    /** Shared scratch for the parts' sums, grown by the kernel's plan, kept from product to product. */
    float[] partials = new float[0];
    int chunks;
    /** The current slice of op(B)'s rows, [pc0, pc1). */
    int pc0;
    int pc1;
    /** Unique per slice of every product. */
    long id;
    final AtomicInteger next = new AtomicInteger();

    void set(GemmKernel kernel, boolean transA, boolean transB, int bigM, int bigN, int bigK, float[] a, float[] b, float[] c,
            boolean accumulate, boolean transposedOut) {
        this.kernel = kernel;
        this.transA = transA;
        this.transB = transB;
        this.bigM = bigM;
        this.bigN = bigN;
        this.bigK = bigK;
        this.a = a;
        this.b = b;
        this.c = c;
        this.accumulate = accumulate;
        this.transposedOut = transposedOut;
        kParts = 1;
        kPart = bigK;
        kernel.plan(this);
        rowBlocks = (bigM + mb - 1) / mb;
        chunks = rowBlocks * ((bigN + nc - 1) / nc) * kParts;
    }

    /** Number of slices of op(B)'s rows: K split evenly into pieces of at most kmax, multiples of 4. */
    int slices() {
        return (bigK + kmax - 1) / kmax;
    }

    /** Starts slice {@code s} of {@link #slices}. */
    void slice(int s) {
        int count = slices();
        pc0 = s == 0 ? 0 : sliceStart(s, count);
        pc1 = s == count - 1 ? bigK : sliceStart(s + 1, count);
        id = IDS.incrementAndGet();
        next.set(0);
    }

    private int sliceStart(int s, int count) {
        return (int) ((long) bigK * s / count + 3) / 4 * 4;
    }

    /** Drops the references to the caller's arrays. */
    void clear() {
        kernel = null;
        a = null;
        b = null;
        c = null;
    }
}
