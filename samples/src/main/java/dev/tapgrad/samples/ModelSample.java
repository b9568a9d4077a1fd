package dev.tapgrad.samples;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.runtime.optim.Schedule;
import dev.tapgrad.runtime.train.Callback;
import dev.tapgrad.runtime.train.CsvLogger;
import dev.tapgrad.runtime.train.EarlyStopping;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * What {@link ClassifierSample} and {@link RegressionSample} do alike: train a generated model
 * with Adam, read its loss terms, save it and check that a fresh model loaded from the file
 * predicts the same, and the summary keys every case shares. A case names its model and how to
 * build one.
 */
public abstract class ModelSample extends SampleCommand {
    // Predictions of the reloaded model must match to float32 rounding; exact equality would make
    // the check depend on whether the runtime's parallel kernels sum in a fixed order.
    private static final double RELOAD_TOLERANCE = 1e-6;

    private final String modelName;
    private final LongFunction<TrainableModel> newModel;

    /**
     * The loss terms on the test set: by name, rounded for the summary, and as the progress line's text.
     *
     * @param values each term's value rounded to 4 digits, in the model's order
     * @param text "name value, name value" for the result line
     */
    protected record LossTerms(Map<String, Object> values, String text) {}

    /**
     * Sets this case's defaults.
     *
     * @param defaultEpochs epochs when {@code --epochs} is not given
     * @param modelName the model class's simple name, for progress lines
     * @param newModel a new generated model whose initial weights come from the seed it is given
     */
    protected ModelSample(int defaultEpochs, String modelName, LongFunction<TrainableModel> newModel) {
        this(defaultEpochs, DEFAULT_BATCH_SIZE, modelName, newModel);
    }

    /** As {@link #ModelSample(int, String, LongFunction)}, with the case's own default batch size. */
    protected ModelSample(int defaultEpochs, int defaultBatchSize, String modelName, LongFunction<TrainableModel> newModel) {
        super(defaultEpochs, defaultBatchSize);
        this.modelName = modelName;
        this.newModel = newModel;
    }

    /** The model class's simple name, for progress lines. */
    protected final String modelName() {
        return modelName;
    }

    /** A new generated model whose initial weights come from {@code seed}. */
    protected final TrainableModel newModel(long seed) {
        return newModel.apply(seed);
    }

    /**
     * Trains {@code model} on {@code train} with the options' settings, validating on {@code test};
     * returns seconds. Prints the model's summary first with {@code --summary}, and draws the
     * training curves afterwards with {@code --plot}.
     */
    protected final double train(TrainableModel model, Dataset train, Dataset test) throws IOException {
        CommonOptions o = options();
        printSummaryIfAsked(model);
        long start = System.nanoTime();
        History history = model.fit(train, toolkit(o, train.size(), Fit.epochs(o.epochs())
                .batchSize(o.batchSize())
                .validation(test)
                .seed(o.seed())
                .verbose(!o.quiet())));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (o.plot() != null) {
            history.plot(o.plot());
            progress("training curves drawn in " + o.plot());
        }
        return seconds;
    }

    /** Prints {@code model}'s summary table on standard output when {@code --summary} asks for it. */
    protected final void printSummaryIfAsked(TrainableModel model) {
        if (options().summary()) {
            spec.commandLine().getOut().print(model.summary());
            spec.commandLine().getOut().flush();
        }
    }

    /**
     * Adds the options' optimizer (Adam at {@code --lr}, on {@code --schedule}) and the training
     * toolkit they ask for ({@code --early-stopping}, {@code --csv}, {@code --backup}) to {@code fit}.
     *
     * @param trainExamples examples per epoch, for the schedule's length in steps
     */
    public static Fit toolkit(CommonOptions o, int trainExamples, Fit fit) {
        long steps = (long) o.epochs() * ((trainExamples + o.batchSize() - 1) / o.batchSize());
        Fit f = fit.optimizer(o.schedule() == CommonOptions.LrSchedule.cosine
                ? Adam.lr(Schedule.cosineDecay(o.lr(), Math.max(1, steps)))
                : Adam.lr(o.lr()));
        List<Callback> callbacks = new ArrayList<>();
        if (o.earlyStopping() != null) {
            callbacks.add(EarlyStopping.monitor("val_loss").patience(o.earlyStopping()).restoreBestWeights());
        }
        if (o.csv() != null) {
            callbacks.add(CsvLogger.to(o.csv()));
        }
        f = f.callbacks(callbacks.toArray(new Callback[0]));
        return o.backup() == null ? f : f.backupTo(o.backup());
    }

    /**
     * The loss terms of {@code eval} ({@code evaluate()}'s map), named and ordered as
     * {@code gradients()} reports them for one example ({@code x}, {@code y}): evaluate() also
     * holds the total as "loss" and the metrics, and a @Loss method named loss is a term whose key
     * is the total's, so "every key but loss and the metrics" would drop it.
     */
    protected static LossTerms lossTerms(TrainableModel model, Map<String, Double> eval, Tensor x, Tensor y) {
        Map<String, Object> terms = new LinkedHashMap<>();
        StringBuilder termText = new StringBuilder();
        for (String name : model.gradients(x, y).terms().keySet()) {
            double value = eval.get(name);
            terms.put(name, round(value, 4));
            termText.append(termText.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.4f", name, value));
        }
        return new LossTerms(terms, termText.toString());
    }

    /**
     * Saves {@code model} to the options' checkpoint, loads it into a model with another seed and
     * prints whether that one predicts the same on {@code inputs}; returns whether it does.
     */
    protected final boolean savedAndReloaded(TrainableModel model, Tensor inputs) throws Exception {
        Path checkpoint = options().save();
        model.save(checkpoint);
        // A different seed, so matching predictions prove the weights came from the file.
        TrainableModel reloaded = newModel(options().seed() + 1);
        reloaded.load(checkpoint);
        double diff = maxAbsDifference(model.predict(inputs), reloaded.predict(inputs));
        boolean reloadedOk = diff <= RELOAD_TOLERANCE;
        result(reloadedOk
                ? "saved " + checkpoint + "; a fresh model loaded from it predicts the same"
                : String.format(Locale.ROOT, "saved %s, but a model loaded from it predicts differently (max difference %.3g)",
                        checkpoint, diff));
        return reloadedOk;
    }

    /** The summary's first keys: the case, its settings and the examples it trained and tested on. */
    protected final Map<String, Object> summary(int trainExamples, int testExamples) {
        CommonOptions o = options();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sample", caseName());
        summary.put("epochs", o.epochs());
        summary.put("batch_size", o.batchSize());
        summary.put("seed", o.seed());
        summary.put("train_examples", trainExamples);
        summary.put("test_examples", testExamples);
        return summary;
    }

    /**
     * Adds the summary's last keys (the test loss and its terms, the training time, the checkpoint
     * and whether it reloaded), prints it and returns the exit code: 0 when the checkpoint reloaded.
     */
    protected final int finish(Map<String, Object> summary, double testLoss, LossTerms terms, double trainSeconds,
            boolean reloadedOk) {
        summary.put("test_loss", round(testLoss, 4));
        summary.put("loss_terms", terms.values());
        summary.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
        summary.put("checkpoint", options().save().toString());
        summary.put("checkpoint_reloaded", reloadedOk);
        printSummary(summary);
        return reloadedOk ? 0 : 1;
    }

    private static double maxAbsDifference(Tensor a, Tensor b) {
        float[] x = a.toArray();
        float[] y = b.toArray();
        if (x.length != y.length) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            double d = Math.abs((double) x[i] - y[i]);
            // NaN compares false, so test it explicitly: a NaN prediction is not a match.
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, d);
        }
        return max;
    }
}
