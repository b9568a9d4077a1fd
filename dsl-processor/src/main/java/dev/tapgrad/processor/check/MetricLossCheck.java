package dev.tapgrad.processor.check;

import dev.tapgrad.Activation;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.processor.diag.LossOutputMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.Shape;
import java.util.EnumSet;
import java.util.Set;

/**
 * DESIGN §2 row 13: metrics against the main loss, and {@code fromLogits} against the output layer;
 * with the output's shape, the crossentropies that cannot learn from its width. Runs after the
 * layer shapes are known.
 */
public final class MetricLossCheck {
    private static final Set<LossKind> REGRESSION = EnumSet.of(LossKind.MSE, LossKind.MAE, LossKind.HUBER);
    private static final Set<LossKind> CROSSENTROPY = EnumSet.of(LossKind.CATEGORICAL_CROSSENTROPY,
            LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, LossKind.BINARY_CROSSENTROPY);
    private static final Set<Metric> ACCURACIES = EnumSet.of(Metric.ACCURACY, Metric.BINARY_ACCURACY,
            Metric.CATEGORICAL_ACCURACY, Metric.SPARSE_CATEGORICAL_ACCURACY);

    private MetricLossCheck() {}

    /** Reports metrics the loss's labels do not fit, misused {@code fromLogits}, and crossentropies on a width they cannot use. */
    public static Report run(ModelSpec spec, GraphShapes shapes) {
        Report r = new Report();
        LossKind loss = spec.lossMethod() != null ? null : spec.loss();
        for (Metric m : spec.metrics()) {
            if (REGRESSION.contains(loss) && ACCURACIES.contains(m)) {
                r.error(Tag.METRIC_LOSS, spec.metricsOrigin(), LossOutputMessages.accuracyOnRegression(m, loss));
            } else if (m == Metric.SPARSE_CATEGORICAL_ACCURACY && loss != LossKind.SPARSE_CATEGORICAL_CROSSENTROPY) {
                r.error(Tag.METRIC_LOSS, spec.metricsOrigin(), LossOutputMessages.metricNeedsClassIds(m, loss));
            } else if (loss == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY && m != Metric.ACCURACY
                    && m != Metric.SPARSE_CATEGORICAL_ACCURACY) {
                r.error(Tag.METRIC_LOSS, spec.metricsOrigin(), LossOutputMessages.metricNeedsRows(m));
            }
        }
        LayerSpec out = spec.layer(shapes.lastLayer()).orElse(null);
        if (out == null) {
            return r;
        }
        Activation act = out.attributes().activation();
        if (spec.fromLogits()) {
            if (!CROSSENTROPY.contains(loss)) {
                r.error(Tag.LOSS_OUTPUT, spec.fromLogitsOrigin(), LossOutputMessages.logitsNeedCrossentropy(loss));
            } else if (act == Activation.SOFTMAX || act == Activation.SIGMOID) {
                r.warning(Tag.LOSS_OUTPUT, spec.fromLogitsOrigin(), LossOutputMessages.logitsAfterSquashing(loss, out.name(), act.name()));
            }
        }
        Shape output = shapes.output();
        int width = output == null || !output.known() || output.rank() == 0 ? -1 : output.get(output.rank() - 1);
        if (width == 1 && loss == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY) {
            r.error(Tag.LOSS_OUTPUT, spec.lossOrigin(), LossOutputMessages.oneClass(out.name()));
        } else if (width == 1 && act == Activation.SOFTMAX && CROSSENTROPY.contains(loss) && !spec.fromLogits()) {
            r.error(Tag.LOSS_OUTPUT, spec.lossOrigin(), LossOutputMessages.softmaxOfOne(loss, out.name()));
        }
        return r;
    }
}
