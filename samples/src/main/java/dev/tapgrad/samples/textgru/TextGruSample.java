package dev.tapgrad.samples.textgru;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainableModel;
import dev.tapgrad.samples.ModelSample;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import picocli.CommandLine.Command;

/**
 * The {@code text-gru} sample: trains {@link TextGru} (Embedding → Gru → Dense sigmoid, binary
 * crossentropy) on a generated token-sequence task and reports its test accuracy.
 *
 * <p>The task is "which marker came first": a sequence holds {@link #STEPS} tokens, filler ids 3 …
 * {@code VOCABULARY − 1} with one to three markers at random places, each marker A (id 1) or B
 * (id 2); the label is 1 when the first marker is A, flipped for a random {@link #LABEL_NOISE} of the
 * sequences (so about 0.95 is the best accuracy there is). The answer depends on order and on a token
 * seen possibly many steps before the end, and the later markers are distractors, so a bag of
 * words cannot solve it while a recurrent layer that latches the first marker can. Labels are
 * balanced: guessing scores 0.5. The data are the same for every {@code --seed}.
 */
@Command(name = "text-gru",
        description = "An Embedding → Gru → Dense(sigmoid) classifier with binary crossentropy on generated token "
                + "sequences (label: is the first of the markers A, B in the sequence an A?). Generates its own data: "
                + "--data does not apply and is ignored; --limit caps the " + TextGruSample.TRAIN_SIZE
                + " training sequences.")
public final class TextGruSample extends ModelSample {
    /** Tokens per sequence. */
    public static final int STEPS = 20;
    /** Distinct token ids: 0 is never drawn, 1 and 2 are the markers, the rest filler. */
    public static final int VOCABULARY = 12;
    /** Epochs without {@code --epochs}. */
    public static final int DEFAULT_EPOCHS = 10;
    /** Generated training sequences without {@code --limit}. */
    public static final int TRAIN_SIZE = 4000;
    /** Generated test sequences. */
    public static final int TEST_SIZE = 1000;

    /** Fraction of labels flipped at random: the best possible accuracy is about 1 − this. */
    public static final double LABEL_NOISE = 0.05;

    private static final int MARKER_A = 1;
    private static final int MARKER_B = 2;
    private static final int FIRST_FILLER = 3;
    // Fixed, so every --seed is scored on the same data; the test set has its own stream so that
    // --limit changes the training set only.
    private static final long TRAIN_DATA_SEED = 3031;
    private static final long TEST_DATA_SEED = 3032;

    /** Only picocli constructs the command. */
    public TextGruSample() {
        super(DEFAULT_EPOCHS, "TextGru", TextGruGraph::new);
    }

    @Override
    protected boolean readsDataFolder() {
        return false;
    }

    @Override
    protected int run() throws Exception {
        int trainSize = options().limit() == null ? TRAIN_SIZE : Math.min(options().limit(), TRAIN_SIZE);
        Dataset train = firstMarker(new Random(TRAIN_DATA_SEED), trainSize);
        Dataset test = firstMarker(new Random(TEST_DATA_SEED), TEST_SIZE);
        progress(String.format(Locale.ROOT, "%s: training %s on %d generated sequences (first marker A or B?) for %d"
                + " epochs, testing on %d", caseName(), modelName(), train.size(), options().epochs(), test.size()));

        TrainableModel model = newModel(options().seed());
        double trainSeconds = train(model, train, test);
        Map<String, Double> eval = model.evaluate(test);
        Tensor oneX = Tensor.of(java.util.Arrays.copyOf(test.x().buffer(), STEPS), 1, STEPS);
        Tensor oneY = Tensor.of(new float[] {test.y().buffer()[0]}, 1, 1);
        LossTerms terms = lossTerms(model, eval, oneX, oneY);
        double accuracy = eval.get("accuracy");
        result(String.format(Locale.ROOT, "test: accuracy %.4f (guessing: 0.5), loss %.4f (%s)", accuracy,
                eval.get("loss"), terms.text()));
        boolean reloadedOk = savedAndReloaded(model, test.x());

        Map<String, Object> summary = summary(train.size(), test.size());
        summary.put("test_accuracy", round(accuracy, 4));
        return finish(summary, eval.get("loss"), terms, trainSeconds, reloadedOk);
    }

    /** {@code n} sequences of the task with their labels, half of them positive in expectation. */
    static Dataset firstMarker(Random random, int n) {
        float[] x = new float[n * STEPS];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int off = i * STEPS;
            for (int t = 0; t < STEPS; t++) {
                x[off + t] = FIRST_FILLER + random.nextInt(VOCABULARY - FIRST_FILLER);
            }
            int markers = 1 + random.nextInt(3);
            int first = STEPS;
            int firstKind = 0;
            for (int m = 0; m < markers; m++) {
                int at = random.nextInt(STEPS);
                int kind = random.nextBoolean() ? MARKER_A : MARKER_B;
                x[off + at] = kind;
                if (at <= first) {
                    first = at;
                    firstKind = kind;
                }
            }
            boolean positive = firstKind == MARKER_A;
            // Label noise, so that a perfect score is impossible and the accuracy says how close the model gets.
            if (random.nextDouble() < LABEL_NOISE) {
                positive = !positive;
            }
            y[i] = positive ? 1f : 0f;
        }
        return Dataset.of(Tensor.of(x, n, STEPS), Tensor.of(y, n, 1));
    }
}
