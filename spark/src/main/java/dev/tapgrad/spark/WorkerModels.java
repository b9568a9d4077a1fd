package dev.tapgrad.spark;

import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.optim.Optimizer;
import dev.tapgrad.runtime.train.GradientStep;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models on the executors: each shard of a training run gets its own instance of the model
 * class, built once by its public constructor (the generated graph's {@code (long seed)}, or a
 * no-arg one) and kept for the run's later steps, which only overwrite its weights. Models are
 * kept per JVM and per run; a new run's first task drops those of older runs, and the driver drops
 * its own (local mode shares its JVM) when a run ends.
 */
final class WorkerModels {
    /** A shard's model and, for parameter averaging, its local optimizer state. */
    static final class Worker {
        final GradientStep step;
        boolean started;

        Worker(GradientStep step) {
            this.step = step;
        }

        /** Binds the local optimizer once per run, so its state carries over from round to round. */
        void startOnce(Optimizer optimizer) {
            if (!started) {
                step.start(optimizer);
                started = true;
            }
        }
    }

    private static final Map<String, Map<Integer, Worker>> RUNS = new ConcurrentHashMap<>();

    private WorkerModels() {}

    /**
     * Checks on the driver what an executor will do: the class must be public, not anonymous, local
     * or an inner (non-static) class, and have a public no-arg or {@code (long)} constructor.
     *
     * @throws IllegalArgumentException saying which of these fails and how to fix it
     */
    static void checkConstructible(Class<?> c) {
        String why = null;
        if (c.isAnonymousClass() || c.isLocalClass()) {
            why = "it is an anonymous or local class";
        } else if (c.isMemberClass() && !Modifier.isStatic(c.getModifiers())) {
            why = "it is an inner (non-static) class";
        } else if (!Modifier.isPublic(c.getModifiers()) || Modifier.isAbstract(c.getModifiers())) {
            why = "it is not a public concrete class";
        } else if (constructor(c) == null) {
            why = "it has neither a public no-arg nor a public (long seed) constructor";
        }
        if (why != null) {
            throw new IllegalArgumentException("SparkFit: the executors build their own copy of the model by its class's public"
                    + " constructor, but " + c.getName() + " cannot be built there: " + why + ". Pass the generated graph"
                    + " (new MyModelGraph(seed)) of a public @Model class, with the jar that holds it on the executors'"
                    + " class path (spark-submit's application jar or --jars)");
        }
    }

    /**
     * The worker of shard {@code shard} in run {@code run}, built on first use from {@code className}.
     *
     * @throws IllegalStateException if the class cannot be loaded or built here, saying why
     */
    static Worker get(String run, int shard, String className, long seed) {
        Map<Integer, Worker> workers = RUNS.get(run);
        if (workers == null) {
            RUNS.keySet().removeIf(other -> !other.equals(run));
            workers = RUNS.computeIfAbsent(run, r -> new ConcurrentHashMap<>());
        }
        return workers.computeIfAbsent(shard, s -> new Worker(GradientStep.of(build(className, seed))));
    }

    /** Drops the models of {@code run} in this JVM. */
    static void release(String run) {
        RUNS.remove(run);
    }

    private static TrainableModel build(String className, long seed) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> c;
        try {
            c = Class.forName(className, true, loader != null ? loader : WorkerModels.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("SparkFit: the model class " + className + " is not on this executor's class path;"
                    + " ship the jar that holds it (spark-submit's application jar, or --jars)", e);
        }
        Constructor<?> k = constructor(c);
        if (k == null || !TrainableModel.class.isAssignableFrom(c)) {
            throw new IllegalStateException("SparkFit: " + className + " on this executor is not a TrainableModel with a public"
                    + " no-arg or (long seed) constructor; is an older version of the class on the executors' class path?");
        }
        try {
            Object model = k.getParameterCount() == 0 ? k.newInstance() : k.newInstance(seed);
            return (TrainableModel) model;
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("SparkFit: building " + className + " on an executor failed: " + cause, cause);
        }
    }

    private static Constructor<?> constructor(Class<?> c) {
        for (Class<?>[] params : new Class<?>[][] {{}, {long.class}}) {
            try {
                Constructor<?> k = c.getConstructor(params);
                if (Modifier.isPublic(k.getModifiers())) {
                    return k;
                }
            } catch (NoSuchMethodException e) {
                // try the next form
            }
        }
        return null;
    }
}
