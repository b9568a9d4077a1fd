package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.BatchListener;
import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.optim.Updater;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code fit}: checks every option against the model and the data before anything changes,
 * restores a backup if there is one, then runs the epochs with the callbacks, recording each epoch
 * and writing the backup after it.
 */
final class EpochLoop {
    /** The history key of the learning rate per epoch (Keras 3's). */
    static final String LEARNING_RATE = "learning_rate";

    private EpochLoop() {}

    static History run(CompiledGraph g, Dataset data, Fit fit) {
        return run(g, data, fit, null);
    }

    /**
     * {@code fit}, with each batch's terms and gradients from {@code sharded} when it is not null
     * (data-parallel training) instead of from the model's own training step.
     */
    static History run(CompiledGraph g, Dataset data, Fit fit, ShardedGradients sharded) {
        Dataset train = data;
        Dataset validation = fit.validation().orElse(null);
        if (fit.validationSplit().isPresent()) {
            Dataset[] parts = split(data, fit.validationSplit().getAsDouble());
            train = parts[0];
            validation = parts[1];
        }
        DataChecks.check(g, train.x(), train.y(), "training data");
        if (validation != null) {
            DataChecks.check(g, validation.x(), validation.y(), "validation data");
        }
        new Totals(g); // fails early on an inconsistent graph
        checkCallbacks(g, fit, validation != null);
        TrainingState state = g.trainingState() != null ? g.trainingState() : new TrainingState();
        Backup backup = fit.backupDir().isPresent() ? Backup.open(fit.backupDir().get(), g, fit) : null;

        // Nothing has changed so far; from here on the model is being trained.
        List<Map<String, Double>> records = new ArrayList<>();
        int first = fit.initialEpoch();
        if (backup != null && backup.exists()) {
            first = backup.restore(g, state, records);
        }
        state.beginFit(fit.optimizer());
        Updater updater = fit.optimizer().start(g.parameters(), state.optimizer());
        TrainingControl control = new TrainingControl(g, fit.optimizer(), state.optimizer(), records, fit.epochs());
        Batches batches = new Batches(train.x(), train.y(), fit.batchSize());
        if (sharded != null) {
            sharded.begin(train);
        }
        try {
            epochs(g, fit, sharded, new Loop(state, updater, control, batches, records, backup, validation), first);
        } finally {
            if (sharded != null) {
                sharded.end();
            }
        }
        return History.of(records);
    }

    /** What the epochs share, set up (and checked) by {@link #run}. */
    private record Loop(TrainingState state, Updater updater, TrainingControl control, Batches batches,
            List<Map<String, Double>> records, Backup backup, Dataset validation) {}

    private static void epochs(CompiledGraph g, Fit fit, ShardedGradients sharded, Loop loop, int first) {
        TrainingState state = loop.state();
        Updater updater = loop.updater();
        TrainingControl control = loop.control();
        Batches batches = loop.batches();
        List<Map<String, Double>> records = loop.records();
        Backup backup = loop.backup();
        Dataset validation = loop.validation();
        List<String> names = g.termNames();
        double[] weights = g.termWeights();
        List<Callback> callbacks = fit.callbacks();
        List<Parameter> params = g.parameters();
        FiniteGradients finite = new FiniteGradients(params);
        BatchListener listener = fit.batchListener().orElse(null);
        double clip = fit.clipNorm().orElse(Double.NaN);
        double[] terms = new double[names.size()];
        boolean finished = first >= fit.epochs();
        if (!finished) {
            for (Callback c : callbacks) {
                c.onTrainBegin(control);
            }
        }
        for (int epoch = first + 1; epoch <= fit.epochs() && !finished; epoch++) {
            long started = System.nanoTime();
            for (Callback c : callbacks) {
                c.onEpochBegin(epoch, control);
            }
            batches.shuffle(new Random(fit.seed() + state.epochs()));
            if (sharded != null) {
                sharded.epoch(epoch, batches.order());
            }
            Totals totals = new Totals(g);
            Supplier<String> running = () -> Progress.describe(totals.averages(), "", names, weights);
            try (Progress progress = Progress.epoch(fit.verbose(), epoch, fit.epochs(), batches.count())) {
                for (int k = 0; k < batches.count(); k++) {
                    Tensor y = null;
                    Tensor pred = null;
                    ShardSums sums = null;
                    if (sharded == null) {
                        batches.gather(k);
                        y = batches.y(k);
                        pred = g.trainStep(batches.x(k), y, terms);
                    } else {
                        sums = sharded.batch(batches.start(k), batches.start(k) + batches.size(k));
                        sums.meansInto(terms, params);
                    }
                    Trainer.checkFinite(g, fit, names, terms, params, finite, epoch, k + 1, batches.count());
                    if (clip == clip) { // not NaN: clipping is on
                        clipGlobalNorm(params, clip);
                    }
                    updater.step();
                    if (sums == null) {
                        totals.add(batches.size(k), terms, y, pred);
                    } else {
                        sums.stateMeansInto(g.state()); // the workers' moving statistics (BatchNorm), after the checks
                        totals.addSums(sums.examples, sums.termSums, sums.rows, sums.metricSums);
                    }
                    progress.step(running, k == batches.count() - 1);
                    if (listener != null) {
                        listener.batchEnded(epoch, k + 1, terms);
                    }
                    for (int c = 0; c < callbacks.size(); c++) { // indexed: no iterator per step
                        callbacks.get(c).onBatchEnd(epoch, k + 1, terms, control);
                    }
                }
            }
            state.epochDone();
            Map<String, Double> record = totals.averages();
            String summary = "Epoch " + epoch + "/" + fit.epochs() + ": " + Progress.describe(record, "", names, weights);
            if (validation != null) {
                Map<String, Double> val = new LinkedHashMap<>();
                Trainer.evaluate(g, validation).forEach((key, v) -> val.put("val_" + key, v));
                summary += " · " + Progress.describe(val, "val_", names, weights);
                record.putAll(val);
            }
            record.put(LEARNING_RATE, updater.learningRate());
            records.add(record);
            Progress.line(fit.verbose(), summary + String.format(Locale.ROOT, " (%.1f s)", (System.nanoTime() - started) / 1e9));
            Map<String, Double> logs = Collections.unmodifiableMap(record);
            for (Callback c : callbacks) {
                c.onEpochEnd(epoch, logs, control);
            }
            finished = epoch == fit.epochs() || control.stopRequested();
            if (backup != null && !finished) {
                save(backup, g, state, records, epoch, false);
            }
            if (finished) {
                for (Callback c : callbacks) {
                    c.onTrainEnd(control);
                }
                if (backup != null) {
                    // after onTrainEnd, which may have restored the best weights: a rerun ends here too
                    save(backup, g, state, records, epoch, true);
                }
            }
        }
    }

    private static void save(Backup backup, CompiledGraph g, TrainingState state, List<Map<String, Double>> records,
            int epoch, boolean finished) {
        try {
            backup.save(g, state, records, epoch, finished);
        } catch (IOException e) {
            throw new UncheckedIOException("fit could not write its backup to " + backup.dir() + " after epoch " + epoch
                    + "; the model has trained this epoch but a resumed run would repeat it", e);
        }
    }

    /** Keras's split: the first floor(n·(1 − fraction)) examples train, the rest validate, in order. */
    static Dataset[] split(Dataset data, double fraction) {
        int n = data.size();
        int at = (int) Math.floor(n * (1.0 - fraction));
        if (at == 0 || at == n) {
            throw new IllegalArgumentException("Fit.validationSplit(" + fraction + ") of " + n + " examples leaves "
                    + (at == 0 ? "no training example" : "no validation example") + "; use a fraction that leaves both "
                    + "sides at least one example, or pass Fit.validation(data)");
        }
        return new Dataset[] {Dataset.of(rows(data.x(), 0, at), rows(data.y(), 0, at)),
                Dataset.of(rows(data.x(), at, n), rows(data.y(), at, n))};
    }

    private static Tensor rows(Tensor t, int from, int to) {
        int row = t.dim(0) == 0 ? 0 : t.size() / t.dim(0);
        int[] shape = t.shape();
        shape[0] = to - from;
        float[] out = new float[(to - from) * row];
        System.arraycopy(t.buffer(), from * row, out, 0, out.length);
        return Tensor.wrap(out, shape);
    }

    /** Keras's clip_by_global_norm: every gradient times maxNorm/norm when the norm over all exceeds maxNorm. */
    static void clipGlobalNorm(List<Parameter> params, double maxNorm) {
        double sum = 0;
        for (int p = 0; p < params.size(); p++) {
            float[] g = params.get(p).grad().buffer();
            for (int i = 0; i < g.length; i++) {
                sum += (double) g[i] * g[i];
            }
        }
        double norm = Math.sqrt(sum);
        if (norm > maxNorm) {
            float scale = (float) (maxNorm / norm);
            for (int p = 0; p < params.size(); p++) {
                float[] g = params.get(p).grad().buffer();
                for (int i = 0; i < g.length; i++) {
                    g[i] *= scale;
                }
            }
        }
    }

    /** The keys an epoch's logs will have, for checking monitors before training. */
    static List<String> logKeys(CompiledGraph g, boolean validation) {
        Set<String> keys = new LinkedHashSet<>();
        keys.add("loss");
        keys.addAll(g.termNames());
        g.metrics().forEach(m -> keys.add(Totals.key(m)));
        List<String> out = new ArrayList<>(keys);
        if (validation) {
            for (String k : keys) {
                out.add("val_" + k);
            }
        }
        out.add(LEARNING_RATE);
        return out;
    }

    private static void checkCallbacks(CompiledGraph g, Fit fit, boolean validation) {
        List<String> keys = logKeys(g, validation);
        List<String> problems = new ArrayList<>();
        for (Callback c : fit.callbacks()) {
            if (c instanceof Monitoring m && m.monitor() != null) {
                String problem = m.monitor().problem(m.owner(), keys, validation);
                if (problem != null) {
                    problems.add(problem);
                }
            }
            if (c instanceof ReduceLrOnPlateau && !TrainingControl.settableLearningRate(fit.optimizer())) {
                problems.add("ReduceLrOnPlateau changes the learning rate, but " + fit.optimizer() + " takes it from a "
                        + "schedule; use a constant rate with ReduceLrOnPlateau, or the schedule alone");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(g.modelName() + ".fit: " + String.join("; ", problems)
                    + ". Nothing was trained.");
        }
    }
}
