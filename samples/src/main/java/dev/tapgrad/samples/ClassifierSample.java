package dev.tapgrad.samples;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import java.util.function.LongFunction;
import java.util.function.UnaryOperator;
import java.util.Locale;
import java.util.Map;

/**
 * Base of the samples that train a Fashion-MNIST classifier: builds a generated model, loads the
 * data, trains the model with Adam, evaluates it on the test set, saves the weights, checks that a fresh model
 * loaded from them predicts the same, and prints the summary line that every case shares. A case
 * names its model, builds it, and may reshape the images to the model's input (the shared steps
 * are {@link ModelSample}'s).
 */
public abstract class ClassifierSample extends ModelSample {
    private final UnaryOperator<Tensor> inputs;

    /**
     * Sets this case's defaults.
     *
     * @param defaultEpochs epochs when {@code --epochs} is not given
     * @param modelName the model class's simple name, for progress lines
     * @param newModel a new generated model whose initial weights come from the seed it is given
     * @param inputs the model's input for a batch of (N, 28, 28, 1) images, e.g.
     *     {@link #flattened} or the images themselves
     */
    protected ClassifierSample(int defaultEpochs, String modelName, LongFunction<TrainableModel> newModel,
            UnaryOperator<Tensor> inputs) {
        this(defaultEpochs, DEFAULT_BATCH_SIZE, modelName, newModel, inputs);
    }

    /** As {@link #ClassifierSample(int, String, LongFunction, UnaryOperator)}, with the case's own default batch size. */
    protected ClassifierSample(int defaultEpochs, int defaultBatchSize, String modelName,
            LongFunction<TrainableModel> newModel, UnaryOperator<Tensor> inputs) {
        super(defaultEpochs, defaultBatchSize, modelName, newModel);
        this.inputs = inputs;
    }

    /** Images as (N, 784) rows, for models with {@code input = {784}}. */
    protected static Tensor flattened(Tensor images) {
        return images.reshape(images.dim(0), images.size() / images.dim(0));
    }

    @Override
    protected final int run() throws Exception {
        CommonOptions o = options();
        // The model first: building it starts the kernels' background warm-up (on the Vector API
        // path), which then runs while the data is read instead of after it.
        TrainableModel model = newModel(o.seed());
        FashionMnist.Data data = fashionMnist();
        FashionMnist.Split trainSplit = o.limit() == null ? data.train() : data.train().first(o.limit());
        Dataset train = Dataset.of(inputs.apply(trainSplit.images()), trainSplit.oneHot());
        Tensor testInputs = inputs.apply(data.test().images());
        Dataset test = Dataset.of(testInputs, data.test().oneHot());
        progress(String.format(Locale.ROOT, "%s: training %s on %d images (%s) for %d epochs, testing on %d",
                caseName(), modelName(), trainSplit.size(), data.source(), o.epochs(), data.test().size()));

        double trainSeconds = train(model, train, test);
        Map<String, Double> eval = model.evaluate(test);
        FashionMnist.Split one = data.test().first(1);
        LossTerms terms = lossTerms(model, eval, inputs.apply(one.images()), one.oneHot());
        double accuracy = eval.get("accuracy");
        result(String.format(Locale.ROOT, "test: accuracy %.4f, loss %.4f (%s)", accuracy, eval.get("loss"),
                terms.text()));
        boolean reloadedOk = savedAndReloaded(model, testInputs);

        Map<String, Object> summary = summary(trainSplit.size(), data.test().size());
        summary.put("test_accuracy", round(accuracy, 4));
        return finish(summary, eval.get("loss"), terms, trainSeconds, reloadedOk);
    }
}
