package dev.tapgrad.runtime.train;

import dev.tapgrad.Metric;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.train.CompiledGraph;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Running sums over the batches of an epoch or an evaluation: loss terms weighted by batch size
 * (as Keras averages per-batch losses) and metric sums over rows, turned into averages keyed
 * {@code loss}, each term, each metric.
 */
final class Totals {
    private final List<String> names;
    private final double[] weights;
    private final List<Metric> metrics;
    /** Each requested metric as computed: {@code ACCURACY} resolved to its kind for this graph. */
    private final Metric[] computed;
    private final boolean logits;
    private final double[] termSums;
    private final double[] metricSums;
    private long examples;
    private long rows;

    Totals(CompiledGraph g) {
        this.names = g.termNames();
        this.weights = g.termWeights();
        this.metrics = g.metrics();
        if (weights.length != names.size()) {
            throw new IllegalStateException(g.modelName() + " declares " + names.size() + " loss terms " + names
                    + " but " + weights.length + " weights; the generated graph is inconsistent");
        }
        this.termSums = new double[weights.length];
        this.metricSums = new double[metrics.size()];
        this.computed = new Metric[metrics.size()];
        for (int m = 0; m < computed.length; m++) {
            computed[m] = Metrics.resolve(metrics.get(m), g.lossKind(), g.outputShape());
        }
        this.logits = g.fromLogits();
    }

    /** Adds one batch of {@code batch} examples with its unweighted terms and predictions. */
    void add(int batch, double[] terms, Tensor yTrue, Tensor yPred) {
        for (int i = 0; i < terms.length; i++) {
            termSums[i] += batch * terms[i];
        }
        examples += batch;
        if (!metrics.isEmpty()) {
            rows += Metrics.rows(yPred);
            for (int m = 0; m < computed.length; m++) {
                metricSums[m] += Metrics.sum(computed[m], yTrue, yPred, logits);
            }
        }
    }

    /**
     * Adds batches already summed elsewhere (GradientStep's shares): each term times its examples,
     * and the metric sums over {@code metricRows} prediction rows.
     */
    void addSums(long batchExamples, double[] termTimesExamples, long metricRows, double[] metricTotals) {
        for (int i = 0; i < termSums.length; i++) {
            termSums[i] += termTimesExamples[i];
        }
        examples += batchExamples;
        rows += metricRows;
        for (int m = 0; m < metricSums.length; m++) {
            metricSums[m] += metricTotals[m];
        }
    }

    /** The weighted total of one batch's unweighted terms. */
    static double total(double[] terms, double[] weights) {
        double sum = 0;
        for (int i = 0; i < terms.length; i++) {
            sum += weights[i] * terms[i];
        }
        return sum;
    }

    /** Averages so far: {@code loss}, each term, each metric by lower-case name. */
    Map<String, Double> averages() {
        Map<String, Double> out = new LinkedHashMap<>();
        double[] mean = new double[termSums.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = examples == 0 ? Double.NaN : termSums[i] / examples;
        }
        out.put("loss", total(mean, weights));
        for (int i = 0; i < mean.length; i++) {
            // A term named "loss" (a @Loss method called loss) must not overwrite the weighted total.
            out.putIfAbsent(names.get(i), mean[i]);
        }
        for (int m = 0; m < metrics.size(); m++) {
            out.put(key(metrics.get(m)), rows == 0 ? Double.NaN : metricSums[m] / rows);
        }
        return out;
    }

    /** The History and evaluate key of a metric as requested, e.g. {@code accuracy} (also when resolved to binary). */
    static String key(Metric metric) {
        return metric.name().toLowerCase(Locale.ROOT);
    }
}
