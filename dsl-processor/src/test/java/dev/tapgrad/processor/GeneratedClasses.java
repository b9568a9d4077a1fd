package dev.tapgrad.processor;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.tools.JavaFileObject;

/**
 * Loads the classes javac wrote during a compile-testing compilation; the runtime and the
 * annotations come from the test class path, so a generated graph is a real {@code TrainableModel}.
 */
final class GeneratedClasses extends ClassLoader {
    private final Compilation compilation;

    GeneratedClasses(Compilation compilation) {
        super(GeneratedClasses.class.getClassLoader());
        this.compilation = compilation;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = "/" + name.replace('.', '/') + ".class";
        for (JavaFileObject f : compilation.generatedFiles()) {
            if (f.getKind() == JavaFileObject.Kind.CLASS && f.toUri().getPath().endsWith(path)) {
                try (InputStream in = f.openInputStream()) {
                    byte[] bytes = in.readAllBytes();
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new ClassNotFoundException(name);
    }

    /**
     * The loss terms and gradients, for {@code x} and {@code y}, of a new instance (seed 42) of the
     * generated graph class {@code graph} of {@code c}.
     */
    static dev.tapgrad.runtime.Gradients gradients(Compilation c, String graph, dev.tapgrad.runtime.Tensor x,
            dev.tapgrad.runtime.Tensor y) throws ReflectiveOperationException {
        Class<?> type = new GeneratedClasses(c).loadClass(graph);
        Object model = type.getConstructor(long.class).newInstance(42L);
        return (dev.tapgrad.runtime.Gradients) type.getMethod("gradients", dev.tapgrad.runtime.Tensor.class,
                dev.tapgrad.runtime.Tensor.class).invoke(model, x, y);
    }

    /** The live parameter tensor {@code layer.param} of a generated model, through the layer field's accessor. */
    static dev.tapgrad.runtime.Tensor parameter(Object model, String name) {
        String[] parts = name.split("\\.");
        try {
            var field = model.getClass().getSuperclass().getDeclaredField(parts[0]);
            field.setAccessible(true);
            Object layer = field.get(model);
            return (dev.tapgrad.runtime.Tensor) layer.getClass().getMethod(parts[1]).invoke(layer);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read " + name, e);
        }
    }
}
