package dev.tapgrad.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The progress bar library (me.tongfei:progressbar, with JLine's terminal) is an optional dependency
 * of the runtime: a user's application without it must still train, printing the plain epoch lines.
 * This runs the progress path in a class loader that sees the runtime's own classes and the JDK but
 * not the library, as such an application would.
 */
class ProgressFallbackTest {

    @Test
    void theTestClassPathHasTheBar() {
        assertTrue(Progress.barAvailable(), "progressbar and jline-terminal are test dependencies");
    }

    @Test
    void withoutTheLibraryAnEpochRunsWithoutABarAndTheLinesRemain() throws Exception {
        try (URLClassLoader runtimeOnly = withoutLibrary()) {
            assertThrows(ClassNotFoundException.class,
                    () -> Class.forName("me.tongfei.progressbar.ProgressBar", false, runtimeOnly),
                    "the isolated loader must not see the library, or this test proves nothing");
            Class<?> progress = Class.forName(Progress.class.getName(), true, runtimeOnly);
            assertEquals(runtimeOnly, progress.getClassLoader(), "Progress must come from the isolated loader");

            Method available = progress.getDeclaredMethod("barAvailable");
            Method epoch = progress.getDeclaredMethod("epoch", boolean.class, int.class, int.class, int.class);
            Method step = progress.getDeclaredMethod("step", Supplier.class, boolean.class);
            Method close = progress.getDeclaredMethod("close");
            Method line = progress.getDeclaredMethod("line", boolean.class, String.class);
            for (Method m : new Method[] {available, epoch, step, close, line}) {
                m.setAccessible(true);
            }
            assertFalse((Boolean) available.invoke(null));

            String err = capturingStandardError(() -> {
                Object bar = epoch.invoke(null, true, 1, 2, 3);
                Supplier<String> message = () -> "loss 0.5";
                for (int i = 0; i < 3; i++) {
                    step.invoke(bar, message, i == 2);
                }
                close.invoke(bar);
                line.invoke(null, true, "Epoch 1/2: loss 0.5000");
            });
            assertEquals("Epoch 1/2: loss 0.5000" + System.lineSeparator(), err,
                    "no bar without the library, only the epoch's line");
        }
    }

    /** The runtime's compiled classes over the JDK's platform loader: no test or dependency jars. */
    private static URLClassLoader withoutLibrary() {
        URL runtimeClasses = Progress.class.getProtectionDomain().getCodeSource().getLocation();
        return new URLClassLoader(new URL[] {runtimeClasses}, ClassLoader.getPlatformClassLoader());
    }

    private interface Body {
        void run() throws Exception;
    }

    private static String capturingStandardError(Body body) throws Exception {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
