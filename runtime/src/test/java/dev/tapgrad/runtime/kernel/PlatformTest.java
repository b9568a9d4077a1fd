package dev.tapgrad.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.invoke.MethodHandles;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link Platform#vectorTwin}: where vectors may run it makes the named package-private class of
 * the caller's package; a twin that is missing, or is not of the kernel's type, gives the portable
 * kernel; and where vectors may not run it never looks.
 */
class PlatformTest {
    private static final Supplier<String> PORTABLE = () -> "portable";

    @Test
    @SuppressWarnings("unchecked")
    void makesThePackagePrivateTwinWhereVectorsMayRun() {
        Supplier<String> chosen = Platform.vectorTwin(MethodHandles.lookup(), Supplier.class, "PlatformTest$Twin", PORTABLE);
        assertEquals(Platform.vectorUsable() ? "twin" : "portable", chosen.get());
    }

    @Test
    void aMissingTwinGivesThePortableKernel() {
        assertSame(PORTABLE, Platform.vectorTwin(MethodHandles.lookup(), Supplier.class, "NoSuchTwin", PORTABLE));
    }

    @Test
    void aTwinOfAnotherTypeGivesThePortableKernel() {
        Runnable portable = () -> {};
        assertSame(portable, Platform.vectorTwin(MethodHandles.lookup(), Runnable.class, "PlatformTest$Twin", portable));
    }

    /** A stand-in twin: package-private, as the kernels' Vector API classes are. */
    static final class Twin implements Supplier<String> {
        @Override
        public String get() {
            return "twin";
        }
    }
}
