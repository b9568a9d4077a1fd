package dev.tapgrad.runtime.kernel.gemm;

import dev.tapgrad.runtime.kernel.Platform;

/**
 * Chooses the GEMM kernel once per JVM: the Vector API kernel when the {@code jdk.incubator.vector}
 * module is in the boot layer (java ran with {@code --add-modules jdk.incubator.vector}), the
 * hardware has fused multiply-adds, C2 compiles hot code and {@code -Dtapgrad.vector=false} is not
 * set; otherwise the
 * portable kernel. The vector kernel is loaded by class name so that nothing referring to the
 * incubator module is loaded where it is absent.
 */
final class GemmKernels {
    /** The vector kernel's class, compiled against {@code jdk.incubator.vector}. */
    private static final String VECTOR_CLASS = "dev.tapgrad.runtime.kernel.gemm.VectorKernel";

    /** The skinny-product kernel's class, compiled against {@code jdk.incubator.vector} too. */
    private static final String SKINNY_CLASS = "dev.tapgrad.runtime.kernel.gemm.SkinnyKernel";

    static final GemmKernel PORTABLE = new PortableKernel();
    /** The vector kernel, or null where it cannot run (module absent, no FMA, disabled, failed to load). */
    static final GemmKernel VECTOR = loadVector(VECTOR_CLASS);
    /**
     * The Vector API kernel for products with a side of at most a vector's lanes, which the vector
     * kernel does not suit; null where that cannot run or {@code -Dtapgrad.skinny=false}.
     */
    static final GemmKernel SKINNY = VECTOR == null || "false".equalsIgnoreCase(System.getProperty("tapgrad.skinny"))
            ? null : loadVector(SKINNY_CLASS);
    /** The kernel {@link Gemm#gemm} uses. */
    static final GemmKernel ACTIVE = VECTOR != null ? VECTOR : PORTABLE;

    private static volatile boolean hinted;

    private GemmKernels() {}

    /**
     * Once per JVM, on the first product: tells the user how to get the faster kernel, when it is
     * the module alone that is missing and the user has not said {@code -Dtapgrad.vector=false}.
     */
    static void hintOnce() {
        if (hinted) {
            return;
        }
        synchronized (GemmKernels.class) {
            if (hinted) {
                return;
            }
            hinted = true;
        }
        if (ACTIVE == PORTABLE && !Platform.vectorDisabled() && !Platform.vectorModulePresent() && Platform.FMA) {
            System.err.println("tapgrad: matrix products use the portable kernel; run java with --add-modules "
                    + "jdk.incubator.vector for the faster vector kernel (-Dtapgrad.vector=false silences this)");
        }
    }

    private static GemmKernel loadVector(String className) {
        // Without hardware FMA the Vector API's fma runs lane by lane in software: far slower than
        // the portable kernel's multiply-adds.
        if (!Platform.vectorUsable()) {
            return null;
        }
        try {
            return (GemmKernel) Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // A JDK whose incubating API differs from the one compiled against: stay portable, say why.
            System.err.println("tapgrad: " + className + " unavailable (" + e + "); matrix products use the portable kernel");
            return null;
        }
    }
}
