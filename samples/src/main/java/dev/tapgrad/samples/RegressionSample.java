package dev.tapgrad.samples;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.loss.MeanSquaredError;
import dev.tapgrad.runtime.optim.Adam;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Base of the samples that train a regression model (main loss MSE) on synthetic data they
 * generate themselves: generates the data, trains a generated model with Adam, evaluates it on the
 * test set against a naive baseline, saves the weights, checks that a fresh model loaded from them
 * predicts the same, and prints the summary line.
 *
 * <p>The summary has the classifiers' keys with {@code test_accuracy} replaced by {@code test_mse}
 * (the unweighted MSE term on the test set, the figure that says how well the model predicts) and
 * {@code baseline_mse} (the MSE of the case's naive predictor on the same test set; a model that
 * learned something is below it). {@code test_loss} stays the weighted total, MSE plus the
 * auxiliary terms, as {@code evaluate} reports it.
 */
public abstract class RegressionSample extends SampleCommand {
    // Predictions of the reloaded model must match to float32 rounding; exact equality would make
    // the check depend on whether the runtime's parallel kernels sum in a fixed order.
    private static final double RELOAD_TOLERANCE = 1e-6;


    /**
     * A generated task: both splits, the naive baseline's predictions for the test inputs, and
     * words for the progress lines.
     *
     * @param train the training examples
     * @param test the test examples
     * @param baselinePrediction what the naive predictor says for {@code test.x()}, shaped as {@code test.y()}
     * @param description the task in a few words, e.g. "noisy sine waves"
     * @param baselineName the naive predictor in a few words, e.g. "the last seen value"
     */
    public record Task(Dataset train, Dataset test, Tensor baselinePrediction, String description,
            String baselineName) {}

    /**
     * Sets this case's defaults.
     *
     * @param defaultEpochs epochs when {@code --epochs} is not given
     */
    protected RegressionSample(int defaultEpochs) {
        super(defaultEpochs);
    }

    /** The model class's simple name, for progress lines. */
    protected abstract String modelName();

    /** A new generated model whose initial weights come from {@code seed}. */
    protected abstract TrainableModel newModel(long seed);

    /**
     * Generates the task. The data do not depend on {@code --seed} (it seeds the weights and the
     * shuffling), so runs with different seeds are scored on the same test set.
     *
     * @param trainSize training examples to generate: the first {@code trainSize} of the full set
     */
    protected abstract Task task(int trainSize);

    /** Training examples without {@code --limit}. */
    protected abstract int defaultTrainSize();

    @Override
    protected final boolean readsDataFolder() {
        return false;
    }

    @Override
    protected final int run() throws Exception {
        CommonOptions o = options();
        int trainSize = o.limit() == null ? defaultTrainSize() : Math.min(o.limit(), defaultTrainSize());
        Task task = task(trainSize);
        Dataset train = task.train();
        Dataset test = task.test();
        progress(String.format(Locale.ROOT, "%s: training %s on %d generated examples (%s) for %d epochs, testing on %d",
                caseName(), modelName(), train.size(), task.description(), o.epochs(), test.size()));

        TrainableModel model = newModel(o.seed());
        long start = System.nanoTime();
        model.fit(train, Fit.epochs(o.epochs())
                .batchSize(o.batchSize())
                .optimizer(Adam.lr(o.lr()))
                .validation(test)
                .seed(o.seed())
                .verbose(!o.quiet()));
        double trainSeconds = (System.nanoTime() - start) / 1e9;

        Map<String, Double> eval = model.evaluate(test);
        // The term names, in order, come from gradients() on one example; evaluate() has the values.
        Map<String, Object> terms = new LinkedHashMap<>();
        StringBuilder termText = new StringBuilder();
        Dataset one = first(test, 1);
        for (String name : model.gradients(one.x(), one.y()).terms().keySet()) {
            double value = eval.get(name);
            terms.put(name, round(value, 4));
            termText.append(termText.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.4f", name, value));
        }
        double mse = eval.get("mse");
        double baseline = mse(task.baselinePrediction(), test.y());
        result(String.format(Locale.ROOT, "test: mse %.4f (predicting %s: %.4f), loss %.4f (%s)",
                mse, task.baselineName(), baseline, eval.get("loss"), termText));

        Path checkpoint = o.save();
        model.save(checkpoint);
        // A different seed, so matching predictions prove the weights came from the file.
        TrainableModel reloaded = newModel(o.seed() + 1);
        reloaded.load(checkpoint);
        double diff = maxAbsDifference(model.predict(test.x()), reloaded.predict(test.x()));
        boolean reloadedOk = diff <= RELOAD_TOLERANCE;
        result(reloadedOk
                ? "saved " + checkpoint + "; a fresh model loaded from it predicts the same"
                : String.format(Locale.ROOT, "saved %s, but a model loaded from it predicts differently (max difference %.3g)",
                        checkpoint, diff));

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("sample", caseName());
        summary.put("epochs", o.epochs());
        summary.put("batch_size", o.batchSize());
        summary.put("seed", o.seed());
        summary.put("train_examples", train.size());
        summary.put("test_examples", test.size());
        summary.put("test_mse", round(mse, 4));
        summary.put("baseline_mse", round(baseline, 4));
        summary.put("test_loss", round(eval.get("loss"), 4));
        summary.put("loss_terms", terms);
        summary.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
        summary.put("checkpoint", checkpoint.toString());
        summary.put("checkpoint_reloaded", reloadedOk);
        printSummary(summary);
        return reloadedOk ? 0 : 1;
    }

    /** The first {@code n} examples of {@code data} (all if it has fewer), in order. */
    protected static Dataset first(Dataset data, int n) {
        if (n >= data.size()) {
            return data;
        }
        return Dataset.of(firstRows(data.x(), n), firstRows(data.y(), n));
    }

    private static Tensor firstRows(Tensor t, int n) {
        int[] shape = t.shape();
        int perExample = t.size() / shape[0];
        shape[0] = n;
        return Tensor.of(Arrays.copyOf(t.buffer(), n * perExample), shape);
    }

    /**
     * Mean of the squared differences over every element, in double: the figure MSE reports, by
     * the runtime's MSE kernel (the one the main loss and the {@code mse} op run).
     */
    protected static double mse(Tensor prediction, Tensor target) {
        if (prediction.size() != target.size()) {
            throw new IllegalArgumentException("baseline has " + prediction.size() + " values but the targets have "
                    + target.size());
        }
        return MeanSquaredError.valueAndGradient(target, prediction.view(target.shape()), null, 1);
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
