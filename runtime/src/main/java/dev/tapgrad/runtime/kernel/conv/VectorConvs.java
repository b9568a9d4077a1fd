package dev.tapgrad.runtime.kernel.conv;

import dev.tapgrad.runtime.kernel.Platform;
import java.lang.reflect.Constructor;

/**
 * Decides once per JVM whether {@link DirectConv} may run its passes with the Vector API
 * ({@code VectorConv}), as the GEMM decides for its kernel: only when the {@code jdk.incubator.vector}
 * module is in the boot layer (java ran with {@code --add-modules jdk.incubator.vector}), the
 * hardware has fused multiply-adds (checked by DirectConv, which needs them anyway), C2 compiles
 * hot code, and neither {@code -Dtapgrad.vector=false} nor {@code -Dtapgrad.vector.conv=false} is
 * set; otherwise DirectConv's own loops run. VectorConv is loaded by class name so that nothing
 * referring to the incubator module is loaded where it is absent.
 */
final class VectorConvs {
    private static final String CLASS = "dev.tapgrad.runtime.kernel.conv.VectorConv";

    /** VectorConv's constructor (geometry, slots), or null where it cannot run. */
    private static final Constructor<?> CONSTRUCTOR;
    /** Float lanes of VectorConv's vectors; 0 where it cannot run. */
    static final int LANES;

    static {
        Constructor<?> constructor = null;
        int lanes = 0;
        if (Platform.vectorUsable()) {
            try {
                Class<?> c = Class.forName(CLASS);
                // LANES is declared by VectorConv's base, with the vector steps the passes share.
                lanes = c.getSuperclass().getDeclaredField("LANES").getInt(null);
                constructor = c.getDeclaredConstructor(ConvGeometry.class, int.class);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // A JDK whose incubating API differs from the one compiled against: the scalar loops, and say why.
                System.err.println("tapgrad: " + CLASS + " unavailable (" + e + "); Conv2D uses its scalar loops");
                lanes = 0;
            }
        }
        // Fewer than 4 lanes: the vectors would not pay for themselves.
        CONSTRUCTOR = lanes >= 4 ? constructor : null;
        LANES = CONSTRUCTOR != null ? lanes : 0;
    }

    private VectorConvs() {}

    /**
     * Whether this layer's passes can run on vectors: the API is usable and the filters fill whole
     * vectors (DirectConv's loops take the others, rather than masked vectors for a remainder).
     * {@code -Dtapgrad.vector.conv=false} is read on every call, so a benchmark can compare both.
     */
    static boolean suits(ConvGeometry geometry) {
        return CONSTRUCTOR != null && geometry.filters % LANES == 0
                && !"false".equalsIgnoreCase(System.getProperty("tapgrad.vector.conv"));
    }

    /** The vector passes for a layer that {@link #suits}, with scratch for {@code slots} threads. */
    static ConvPasses create(ConvGeometry geometry, int slots) {
        try {
            return (ConvPasses) CONSTRUCTOR.newInstance(geometry, slots);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("VectorConv failed to construct", e);
        }
    }
}
