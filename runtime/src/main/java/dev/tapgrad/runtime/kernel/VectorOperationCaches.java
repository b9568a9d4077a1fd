package dev.tapgrad.runtime.kernel;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorOperators;

/**
 * Runs every lanewise and reduction operation of the Vector API on float and int vectors, so
 * that the API's per-operation caches of fallback implementations are full before C2 compiles any
 * kernel. Loaded by name from {@link Platform#prepareVectorOperations} only where the module is present.
 *
 * <p>Why: every Vector API operation looks its fallback up in such a cache
 * ({@code VectorOperators.ImplCache.find}), and C2 parses that lookup in every kernel, once per
 * operation. When an operation is first used after C2 has compiled the lookup, the cache miss
 * runs a supplier of another class than the one compiled for, and the deoptimization is recorded
 * in the lookup's method data. C2 adds the recorded deoptimizations of every method it parses,
 * per copy inlined, to a compilation's total, and past {@code PerMethodTrapLimit} (100) stops
 * speculating on exact types: with 2 recorded on the lookup, a kernel of 50 operations is over,
 * its last vectors lose their species and run in the API's allocating fallback (the vector
 * allocation test's two-conv-bn, one JVM in a few; bench/README, "The Vector API's shared trap
 * budget"). Filled caches are never missed again, so the lookup never deoptimizes; and with
 * every operation run many times the API's shared methods see many fallback classes, so C2 does
 * not speculate on one there either.
 */
final class VectorOperationCaches {
    private VectorOperationCaches() {}

    /**
     * Rounds of every operation, so that the API's shared methods reach C1's profiling code while
     * they run and the fallback lambdas they call are recorded as many classes, and C2 does not
     * speculate on one (a speculation another operation later breaks, the same deoptimizations as
     * a cache miss). About 0.1 s in all. Measured, not proven: in JFR-recorded runs of the vector
     * allocation test the fallbacks' deoptimizations were gone in two of three, the lookup's in all.
     */
    static final int ROUNDS = 100;

    /**
     * Applies each unary, binary, ternary and associative operator to a float and an int vector,
     * {@link #ROUNDS} times (unsupported ones once), and the crossings between the two.
     */
    static void fill() {
        Vector<?>[] vectors = {FloatVector.broadcast(FloatVector.SPECIES_PREFERRED, 1f),
                IntVector.broadcast(IntVector.SPECIES_PREFERRED, 1)};
        List<Runnable> supported = new ArrayList<>();
        for (Field field : VectorOperators.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            Object op;
            try {
                op = field.get(null);
            } catch (IllegalAccessException e) {
                continue;
            }
            for (Vector<?> v : vectors) {
                if (apply(v, op)) {
                    supported.add(() -> apply(v, op));
                }
            }
        }
        FloatVector f = (FloatVector) vectors[0];
        IntVector n = (IntVector) vectors[1];
        between(f, n);
        for (int round = 1; round < ROUNDS; round++) {
            supported.forEach(Runnable::run);
            between(f, n);
        }
    }

    /**
     * The crossings between float and int vectors the kernels make (reinterpreting bits, mask
     * casts, conversions), so that their shared methods, too, see both directions before C2
     * compiles them.
     */
    private static void between(FloatVector f, IntVector n) {
        f.reinterpretAsInts();
        n.reinterpretAsFloats();
        f.convert(VectorOperators.F2I, 0);
        n.convert(VectorOperators.I2F, 0);
        if (f.length() == n.length()) {
            f.compare(VectorOperators.EQ, f).cast(n.species());
            n.compare(VectorOperators.EQ, n).cast(f.species());
        }
    }

    /** Runs {@code op} on {@code v} as its kind is taken; false if the element type does not have it or it is no such kind. */
    private static boolean apply(Vector<?> v, Object op) {
        try {
            if (op instanceof VectorOperators.Ternary ternary) {
                ternary(v, ternary);
            } else if (op instanceof VectorOperators.Binary binary) {
                binary(v, binary);
                if (op instanceof VectorOperators.Associative associative) {
                    v.reduceLanesToLong(associative);
                }
            } else if (op instanceof VectorOperators.Unary unary) {
                v.lanewise(unary);
            } else {
                return false;
            }
            return true;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            // an operator this element type does not have (a bitwise one on floats): no cache entry to fill
            return false;
        }
    }

    private static <E> void binary(Vector<E> v, VectorOperators.Binary op) {
        v.lanewise(op, v);
    }

    private static <E> void ternary(Vector<E> v, VectorOperators.Ternary op) {
        v.lanewise(op, v, v);
    }
}
