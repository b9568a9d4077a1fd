package dev.tapgrad.processor.read;

import com.sun.source.util.Trees;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import javax.annotation.processing.ProcessingEnvironment;

/**
 * Gets javac's {@link Trees} for a processing environment. IntelliJ's build and Gradle wrap javac's
 * environment (in a proxy or a delegating class); {@code Trees.instance} rejects the wrapper, so we
 * look for javac's environment inside it. Eclipse's compiler has no Trees at all: then this returns
 * null and the processor reports one clear error.
 */
public final class TreesAccess {
    private static final int MAX_DEPTH = 4;

    private TreesAccess() {}

    /** javac's Trees for {@code env} or for the javac environment it wraps; null if there is none. */
    public static Trees find(ProcessingEnvironment env) {
        ProcessingEnvironment current = env;
        for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
            try {
                return Trees.instance(current);
            } catch (IllegalArgumentException | LinkageError notJavac) {
                current = unwrap(current);
            }
        }
        return null;
    }

    /** The environment a wrapper delegates to, found in a proxy's handler or in a field; else null. */
    private static ProcessingEnvironment unwrap(ProcessingEnvironment env) {
        Object holder = env;
        if (Proxy.isProxyClass(env.getClass())) {
            InvocationHandler h = Proxy.getInvocationHandler(env);
            holder = h;
        }
        for (Class<?> c = holder.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (ProcessingEnvironment.class.isAssignableFrom(f.getType())) {
                    try {
                        f.setAccessible(true);
                        Object inner = f.get(holder);
                        if (inner instanceof ProcessingEnvironment p && p != env) {
                            return p;
                        }
                    } catch (ReflectiveOperationException | RuntimeException inaccessible) {
                        // A module boundary can forbid this; then there is nothing to unwrap.
                    }
                }
            }
        }
        return null;
    }
}
