package dev.tapgrad.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorOperators;
import org.junit.jupiter.api.Test;

/**
 * {@link Platform#prepareVectorOperations} leaves no Vector API operation cache to fill: right
 * after it, the float and int vectors' caches ({@code VectorOperators.ImplCache}, read through
 * reflection; the test JVM opens the package) hold as many entries as after every operation has
 * been run once more here, each way the API takes an operator. A preparation that skipped an operator kind (reductions, unary
 * operators) or the int vectors fails it, in a test JVM where the other tests did not happen to
 * run those operations first.
 */
class VectorOperationCachesTest {
    @Test
    void preparedCachesHoldEveryOperationTheVectorsSupport() throws Exception {
        assumeTrue(Platform.vectorUsable(), "the Vector API runs here");
        Platform.prepareVectorOperations();
        List<Object[]> caches = caches();
        assertTrue(caches.size() >= 6, "float and int vectors each have unary, binary, ternary and reduction caches: "
                + caches.size());
        int prepared = filled(caches);
        runEveryOperation();
        assertEquals(filled(caches), prepared, "entries after every operation ran once more");
        assertTrue(prepared >= 40, "entries: " + prepared);
    }

    /**
     * Every operator of VectorOperators on a float and an int vector, each way the API takes it
     * (lanewise, reduction, comparison, test, conversion), written here rather than taken from
     * the class under test; what an element type does not support is skipped.
     */
    private static void runEveryOperation() throws IllegalAccessException {
        Vector<?>[] vectors = {FloatVector.broadcast(FloatVector.SPECIES_PREFERRED, 2f),
                IntVector.broadcast(IntVector.SPECIES_PREFERRED, 2)};
        for (Field f : VectorOperators.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Object op = f.get(null);
            for (Vector<?> v : vectors) {
                try {
                    run(v, op);
                } catch (UnsupportedOperationException | IllegalArgumentException | ClassCastException | AssertionError e) {
                    // not an operation of this element type
                }
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <E> void run(Vector<E> v, Object op) {
        if (op instanceof VectorOperators.Ternary t) {
            v.lanewise(t, v, v);
        } else if (op instanceof VectorOperators.Binary b) {
            v.lanewise(b, v);
            if (op instanceof VectorOperators.Associative a) {
                v.reduceLanesToLong(a);
            }
        } else if (op instanceof VectorOperators.Unary u) {
            v.lanewise(u);
        } else if (op instanceof VectorOperators.Comparison c) {
            v.compare(c, v);
        } else if (op instanceof VectorOperators.Test t) {
            v.test(t);
        } else if (op instanceof VectorOperators.Conversion c) {
            ((Vector) v).convert(c, 0);
        }
    }

    /** The entry arrays of the static ImplCache fields of FloatVector and IntVector. */
    private static List<Object[]> caches() throws Exception {
        List<Object[]> arrays = new ArrayList<>();
        for (String name : new String[] {"jdk.incubator.vector.FloatVector", "jdk.incubator.vector.IntVector"}) {
            for (Field f : Class.forName(name).getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType().getSimpleName().equals("ImplCache")) {
                    f.setAccessible(true);
                    Object cache = f.get(null);
                    Field entries = cache.getClass().getDeclaredField("cache");
                    entries.setAccessible(true);
                    arrays.add((Object[]) entries.get(cache));
                }
            }
        }
        return arrays;
    }

    private static int filled(List<Object[]> caches) {
        int n = 0;
        for (Object[] entries : caches) {
            for (Object e : entries) {
                n += e != null ? 1 : 0;
            }
        }
        return n;
    }
}
