package dev.tapgrad.runtime.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;

/**
 * What this JVM and CPU offer the kernels, decided once: hardware fused multiply-adds, the
 * incubating Vector API, and C2 (the only compiler that turns Vector API calls into vector
 * instructions). Every kernel that chooses between a vector and a portable path asks here, so
 * the GEMM, the convolution and the element functions always agree.
 */
public final class Platform {
    /**
     * Whether {@code Math.fma} is a hardware instruction here (HotSpot's UseFMA; false when
     * unknown). {@code -Dtapgrad.gemm.fma=true|false} overrides it.
     */
    public static final boolean FMA = detectFma();
    /** Whether C2 compiles hot code (true when unknown): not under -Xint or TieredStopAtLevel below 4. */
    public static final boolean OPTIMIZING_COMPILER = detectOptimizingCompiler();

    private Platform() {}

    /** Whether {@code -Dtapgrad.vector=false} asks for the portable kernels. */
    public static boolean vectorDisabled() {
        return "false".equalsIgnoreCase(System.getProperty("tapgrad.vector"));
    }

    /** Whether java ran with {@code --add-modules jdk.incubator.vector}. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * Whether vector kernels may run: not disabled, the module present, hardware FMA (without it
     * the Vector API's fma runs lane by lane in software) and C2 (elsewhere every vector is a heap
     * object: slow, and allocating in a step that must allocate nothing).
     */
    public static boolean vectorUsable() {
        return !vectorDisabled() && vectorModulePresent() && FMA && OPTIMIZING_COMPILER;
    }

    private static boolean operationsPrepared;

    /**
     * Where {@link #vectorUsable}, runs every Vector API operation, a hundred times each (about
     * 0.1 s, once per JVM; later calls return at once), so that no operation is first used after
     * C2 has compiled the kernels: a first use then deoptimizes a lookup that every later kernel
     * compilation counts against C2's budget (see {@code VectorOperationCaches}). The graphs call
     * it before their first step, on the kernel warm-up's thread where there is one.
     */
    public static synchronized void prepareVectorOperations() {
        if (operationsPrepared || !vectorUsable()) {
            return;
        }
        operationsPrepared = true;
        try {
            MethodHandles.lookup().findStatic(
                    MethodHandles.lookup().findClass(Platform.class.getPackageName() + ".VectorOperationCaches"), "fill",
                    MethodType.methodType(void.class)).invoke();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // Only a safeguard for the kernels' compilation: training is correct without it.
        } catch (Throwable e) {
            // invoke() declares Throwable; fill() throws no checked exception.
            throw (Error) e;
        }
    }

    /**
     * A kernel's Vector API twin where {@link #vectorUsable} allows it, else {@code portable}: the
     * class {@code simpleName} in the caller's package, made by its no-argument constructor through
     * the caller's lookup (the twins are package-private). It is loaded by name so that the portable
     * classes never link against {@code jdk.incubator.vector}; a twin that cannot be loaded or made
     * falls back to {@code portable} (each kernel's {@code pathName()} says which path runs, and the
     * tests check it where the module is present).
     */
    public static <T> T vectorTwin(MethodHandles.Lookup caller, Class<T> type, String simpleName, T portable) {
        if (!vectorUsable()) {
            return portable;
        }
        try {
            Class<?> twin = caller.findClass(caller.lookupClass().getPackageName() + "." + simpleName);
            return type.cast(caller.findConstructor(twin, MethodType.methodType(void.class)).invoke());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return portable;
        } catch (Throwable e) {
            // invoke() declares Throwable; a constructor's other Errors are not a missing twin.
            throw (Error) e;
        }
    }

    private static boolean detectFma() {
        String forced = System.getProperty("tapgrad.gemm.fma");
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        try {
            return Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            // Not HotSpot, or no jdk.management module: multiply-adds are correct everywhere.
            return false;
        }
    }

    private static boolean detectOptimizingCompiler() {
        if (System.getProperty("java.vm.info", "").contains("interpreted mode")) {
            return false;
        }
        try {
            var vm = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            boolean tiered = Boolean.parseBoolean(vm.getVMOption("TieredCompilation").getValue());
            return !tiered || Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) >= 4;
        } catch (RuntimeException | LinkageError e) {
            return true;
        }
    }
}
