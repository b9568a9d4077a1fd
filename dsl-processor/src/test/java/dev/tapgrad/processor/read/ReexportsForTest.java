package dev.tapgrad.processor.read;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/** Test access to how the processor reads {@code @Reexport}, so tests check the same reading. */
public final class ReexportsForTest {
    private ReexportsForTest() {}

    /** The class {@code m}'s {@code @Reexport} names, or null. */
    public static TypeElement target(ExecutableElement m) {
        return OpResolver.reexportTarget(m);
    }
}
