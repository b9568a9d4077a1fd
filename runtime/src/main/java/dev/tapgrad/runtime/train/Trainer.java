package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.TrainingDivergedException;
import dev.tapgrad.runtime.kernel.math.ParameterMath;
import dev.tapgrad.runtime.train.CompiledGraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop, evaluation and prediction that every generated graph delegates to. The data
 * is checked before anything runs; training stops with {@link TrainingDivergedException} before
 * a step with a non-finite loss or gradient reaches the weights.
 */
public final class Trainer {
    /** Batch size of evaluate and predict: large enough to amortise the calls, small enough for memory. */
    static final int EVAL_BATCH = 256;

    private Trainer() {}

    /**
     * Trains {@code g} on {@code train} as {@code fit} describes (see {@link Fit}): per epoch a shuffle
     * with {@code new Random(seed + e)} where {@code e} counts the model's epochs over all fits, one
     * optimizer step per batch (the optimizer's state kept on the model), then the epoch's averages,
     * the validation under {@code val_} keys, the learning rate, the callbacks and the backup.
     *
     * @throws dev.tapgrad.runtime.TapgradDataException if the data does not fit the model (nothing has changed)
     * @throws IllegalArgumentException for callbacks or a backup folder that do not fit (nothing has changed)
     * @throws TrainingDivergedException on a NaN or infinite loss term or gradient
     */
    public static History fit(CompiledGraph g, Dataset train, Fit fit) {
        return EpochLoop.run(g, train, fit);
    }

    /** Allocates nothing unless it throws: it runs every step. */
    static void checkFinite(CompiledGraph g, Fit fit, List<String> names, double[] terms, List<Parameter> params,
            FiniteGradients finite, int epoch, int batch, int batches) {
        for (int i = 0; i < terms.length; i++) {
            if (!Double.isFinite(terms[i])) {
                throw diverged(g, fit, "the loss term " + names.get(i) + " is " + terms[i] + " (terms " + termList(names, terms)
                        + ")", names.get(i), epoch, batch, batches);
            }
        }
        // A finite loss can still have a NaN gradient (e.g. 0·∞ inside a backward pass). All
        // gradients at once, shared between the threads; only a failed check looks for where.
        if (finite.allFinite()) {
            return;
        }
        for (int k = 0; k < params.size(); k++) { // indexed: an iterator would be an allocation per step
            Parameter p = params.get(k);
            float[] grad = p.grad().buffer();
            if (allFinite(grad)) {
                continue;
            }
            for (int i = 0; i < grad.length; i++) {
                if (!Float.isFinite(grad[i])) {
                    throw diverged(g, fit, "the gradient of " + p.name() + " has " + grad[i] + " at flat index " + i
                            + " (terms " + termList(names, terms) + ")", p.name(), epoch, batch, batches);
                }
            }
        }
    }

    /** Whether every value is finite (see {@link ParameterMath#allFinite}). */
    static boolean allFinite(float[] v) {
        return ParameterMath.allFinite(v, 0, v.length);
    }

    private static TrainingDivergedException diverged(CompiledGraph g, Fit fit, String what, String term,
            int epoch, int batch, int batches) {
        return new TrainingDivergedException(g.modelName() + " diverged in epoch " + epoch + ", batch " + batch + " of "
                + batches + ": " + what + ". The weights were not updated by this batch. Try a lower learning rate than "
                + fit.optimizer() + ", or check the loss for log(0), division by zero or sqrt of 0.",
                epoch, batch, term);
    }

    private static String termList(List<String> names, double[] terms) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < terms.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(names.get(i)).append(' ').append(terms[i]);
        }
        return sb.toString();
    }

    /**
     * Every loss term and metric on {@code data}, without changing the model: keys {@code loss}
     * (the weighted total), each term unweighted, each metric by lower-case name; averaged over
     * examples in batches of 256, in order.
     */
    public static Map<String, Double> evaluate(CompiledGraph g, Dataset data) {
        DataChecks.check(g, data.x(), data.y(), "evaluation data");
        Totals totals = new Totals(g);
        Batches batches = new Batches(data.x(), data.y(), EVAL_BATCH);
        double[] terms = new double[g.termNames().size()];
        for (int k = 0; k < batches.count(); k++) {
            batches.gather(k);
            Tensor pred = g.evaluateStep(batches.x(k), batches.y(k), terms);
            checkPredictions(g, pred, batches.size(k));
            totals.add(batches.size(k), terms, batches.y(k), pred);
        }
        return totals.averages();
    }

    /** The model's outputs for {@code x}, a new (N, output...) tensor; no loss is computed. */
    public static Tensor predict(CompiledGraph g, Tensor x) {
        DataChecks.checkInputShape(g, x, "input to predict");
        Tensor result = Tensor.zeros(withBatch(x.dim(0), g.outputShape()));
        if (x.dim(0) == 0) {
            return result;
        }
        int row = result.size() / x.dim(0);
        Batches batches = new Batches(x, null, EVAL_BATCH);
        for (int k = 0; k < batches.count(); k++) {
            batches.gather(k);
            Tensor pred = g.predictStep(batches.x(k));
            checkPredictions(g, pred, batches.size(k));
            System.arraycopy(pred.buffer(), 0, result.buffer(), batches.start(k) * row, batches.size(k) * row);
        }
        return result;
    }

    /**
     * One training step's terms and gradients on the whole of {@code x} and {@code y}, as copies;
     * the weights are not changed.
     */
    public static Gradients gradients(CompiledGraph g, Tensor x, Tensor y) {
        DataChecks.check(g, x, y, "data for gradients");
        List<String> names = g.termNames();
        double[] terms = new double[names.size()];
        g.gradientStep(x, y, terms);
        Map<String, Double> byName = new LinkedHashMap<>();
        for (int i = 0; i < terms.length; i++) {
            byName.put(names.get(i), terms[i]);
        }
        Map<String, Tensor> grads = new LinkedHashMap<>();
        for (Parameter p : g.parameters()) {
            grads.put(p.name(), p.grad().copy());
        }
        return new Gradients(Totals.total(terms, g.termWeights()), byName, grads);
    }

    /** A generated graph must return one output row per example; anything else is a processor bug. */
    private static void checkPredictions(CompiledGraph g, Tensor pred, int batch) {
        long expected = (long) batch * product(g.outputShape());
        if (pred.size() != expected) {
            throw new IllegalStateException(g.modelName() + " returned predictions of shape "
                    + DataChecks.format(pred.shape()) + " for a batch of " + batch + " examples; expected "
                    + DataChecks.format(withBatch(batch, g.outputShape())) + " (a bug in the generated graph)");
        }
    }

    private static int[] withBatch(int batch, int[] shape) {
        int[] s = new int[shape.length + 1];
        s[0] = batch;
        System.arraycopy(shape, 0, s, 1, shape.length);
        return s;
    }

    private static long product(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
