package dev.tapgrad.samples;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.runtime.optim.Adam;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Base of the samples that train a Fashion-MNIST classifier: loads the data, trains a generated
 * model with Adam, evaluates it on the test set, saves the weights, checks that a fresh model
 * loaded from them predicts the same, and prints the summary line that every case shares. A case
 * names its model, builds it, and may reshape the images to the model's input.
 */
public abstract class ClassifierSample extends SampleCommand {
    // Predictions of the reloaded model must match to float32 rounding; exact equality would make
    // the check depend on whether the runtime's parallel kernels sum in a fixed order.
    private static final double RELOAD_TOLERANCE = 1e-6;


    /**
     * Sets this case's defaults.
     *
     * @param defaultEpochs epochs when {@code --epochs} is not given
     */
    protected ClassifierSample(int defaultEpochs) {
        super(defaultEpochs);
    }

    /** The model class's simple name, for progress lines. */
    protected abstract String modelName();

    /** A new generated model whose initial weights come from {@code seed}. */
    protected abstract TrainableModel newModel(long seed);

    /**
     * The model's input for a batch of (N, 28, 28, 1) images; the images themselves unless the
     * model reads them in another shape.
     */
    protected Tensor inputs(Tensor images) {
        return images;
    }

    /** Images as (N, 784) rows, for models with {@code input = {784}}. */
    protected static Tensor flattened(Tensor images) {
        return images.reshape(images.dim(0), images.size() / images.dim(0));
    }

    @Override
    protected final int run() throws Exception {
        CommonOptions o = options();
        FashionMnist.Data data = fashionMnist();
        FashionMnist.Split trainSplit = o.limit() == null ? data.train() : data.train().first(o.limit());
        Dataset train = Dataset.of(inputs(trainSplit.images()), trainSplit.oneHot());
        Tensor testInputs = inputs(data.test().images());
        Dataset test = Dataset.of(testInputs, data.test().oneHot());
        progress(String.format(Locale.ROOT, "%s: training %s on %d images (%s) for %d epochs, testing on %d",
                caseName(), modelName(), trainSplit.size(), data.source(), o.epochs(), data.test().size()));

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
        // evaluate() reports the total as "loss", each term by name and each metric. The term names
        // come from gradients() (one example suffices): a @Loss method named loss is a term whose
        // key is the total's, so "every key but loss and the metrics" would drop it.
        FashionMnist.Split one = data.test().first(1);
        Map<String, Object> terms = new LinkedHashMap<>();
        StringBuilder termText = new StringBuilder();
        for (String name : model.gradients(inputs(one.images()), one.oneHot()).terms().keySet()) {
            double value = eval.get(name);
            terms.put(name, round(value, 4));
            termText.append(termText.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.4f", name, value));
        }
        double accuracy = eval.get("accuracy");
        result(String.format(Locale.ROOT, "test: accuracy %.4f, loss %.4f (%s)", accuracy, eval.get("loss"), termText));

        Path checkpoint = o.save();
        model.save(checkpoint);
        // A different seed, so matching predictions prove the weights came from the file.
        TrainableModel reloaded = newModel(o.seed() + 1);
        reloaded.load(checkpoint);
        double diff = maxAbsDifference(model.predict(testInputs), reloaded.predict(testInputs));
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
        summary.put("train_examples", trainSplit.size());
        summary.put("test_examples", data.test().size());
        summary.put("test_accuracy", round(accuracy, 4));
        summary.put("test_loss", round(eval.get("loss"), 4));
        summary.put("loss_terms", terms);
        summary.put("train_seconds", Math.round(trainSeconds * 10) / 10.0);
        summary.put("checkpoint", checkpoint.toString());
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
