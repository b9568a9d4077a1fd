package dev.tapgrad.samples;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.loss.MeanSquaredError;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;

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
public abstract class RegressionSample extends ModelSample {
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
     * @param modelName the model class's simple name, for progress lines
     * @param newModel a new generated model whose initial weights come from the seed it is given
     */
    protected RegressionSample(int defaultEpochs, String modelName, LongFunction<TrainableModel> newModel) {
        super(defaultEpochs, modelName, newModel);
    }

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
        double trainSeconds = train(model, train, test);
        Map<String, Double> eval = model.evaluate(test);
        Dataset one = first(test, 1);
        LossTerms terms = lossTerms(model, eval, one.x(), one.y());
        double mse = eval.get("mse");
        double baseline = mse(task.baselinePrediction(), test.y());
        result(String.format(Locale.ROOT, "test: mse %.4f (predicting %s: %.4f), loss %.4f (%s)",
                mse, task.baselineName(), baseline, eval.get("loss"), terms.text()));
        boolean reloadedOk = savedAndReloaded(model, test.x());

        Map<String, Object> summary = summary(train.size(), test.size());
        summary.put("test_mse", round(mse, 4));
        summary.put("baseline_mse", round(baseline, 4));
        return finish(summary, eval.get("loss"), terms, trainSeconds, reloadedOk);
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
}
