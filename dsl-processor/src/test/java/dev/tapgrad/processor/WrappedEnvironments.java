package dev.tapgrad.processor;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Processing environments as build tools hand them to processors: IntelliJ's build and Gradle wrap
 * javac's environment in a {@link Proxy} or a delegating class. Used to check that Tapgrad finds
 * javac's Trees through such wrappers, and fails clearly when it cannot.
 */
final class WrappedEnvironments {
    private WrappedEnvironments() {}

    /** A processor that gives Tapgrad's processor a wrapped environment and forwards everything else. */
    static Processor tapgradWith(UnaryOperator<ProcessingEnvironment> wrap) {
        Processor tapgrad = new TapgradProcessor();
        return new Processor() {
            @Override
            public Set<String> getSupportedOptions() {
                return tapgrad.getSupportedOptions();
            }

            @Override
            public Set<String> getSupportedAnnotationTypes() {
                return tapgrad.getSupportedAnnotationTypes();
            }

            @Override
            public SourceVersion getSupportedSourceVersion() {
                return tapgrad.getSupportedSourceVersion();
            }

            @Override
            public void init(ProcessingEnvironment javac) {
                tapgrad.init(wrap.apply(javac));
            }

            @Override
            public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
                return tapgrad.process(annotations, round);
            }

            @Override
            public Iterable<? extends Completion> getCompletions(
                    Element element, AnnotationMirror annotation, ExecutableElement member, String userText) {
                return tapgrad.getCompletions(element, annotation, member, userText);
            }
        };
    }

    /** A proxy environment whose calls all go to {@code handler}. */
    static ProcessingEnvironment proxy(InvocationHandler handler) {
        return (ProcessingEnvironment) Proxy.newProxyInstance(WrappedEnvironments.class.getClassLoader(),
                new Class<?>[] {ProcessingEnvironment.class}, handler);
    }

    /** Calls {@code target}'s method, rethrowing what it throws rather than the reflective wrapper. */
    static Object forward(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** IntelliJ-style: the handler keeps javac's environment in a field of type ProcessingEnvironment. */
    static final class TypedFieldHandler implements InvocationHandler {
        private final ProcessingEnvironment delegate;
        private final String failing;

        /** @param failing the name of a method that throws instead of forwarding, or null */
        TypedFieldHandler(ProcessingEnvironment delegate, String failing) {
            this.delegate = delegate;
            this.failing = failing;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            if (m.getName().equals(failing)) {
                throw new IllegalStateException("wrapped " + failing + " failed on purpose");
            }
            return forward(delegate, m, args);
        }
    }

    /** A wrapper that hides javac: the handler's only field is typed Object, so nothing says what it holds. */
    static final class ObjectFieldHandler implements InvocationHandler {
        private final Object delegate;

        ObjectFieldHandler(Object delegate) {
            this.delegate = delegate;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            return forward(delegate, m, args);
        }
    }

    /** Gradle-style: a plain class implementing the interface by delegation. */
    static final class DelegatingEnvironment implements ProcessingEnvironment {
        private final ProcessingEnvironment delegate;

        DelegatingEnvironment(ProcessingEnvironment delegate) {
            this.delegate = delegate;
        }

        @Override
        public Map<String, String> getOptions() {
            return delegate.getOptions();
        }

        @Override
        public Messager getMessager() {
            return delegate.getMessager();
        }

        @Override
        public Filer getFiler() {
            return delegate.getFiler();
        }

        @Override
        public Elements getElementUtils() {
            return delegate.getElementUtils();
        }

        @Override
        public Types getTypeUtils() {
            return delegate.getTypeUtils();
        }

        @Override
        public SourceVersion getSourceVersion() {
            return delegate.getSourceVersion();
        }

        @Override
        public Locale getLocale() {
            return delegate.getLocale();
        }
    }
}
