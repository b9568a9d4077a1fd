package bad;

import dev.tapgrad.Activation;
import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

// Expected: [Tapgrad/MetricLoss] twice on the metrics value (line 12): the sparse accuracy needs class ids,
// which only the sparse loss takes; the sparse loss's class ids cannot be compared with MAE.
@Model(input = {4}, loss = LossKind.CATEGORICAL_CROSSENTROPY, metrics = Metric.SPARSE_CATEGORICAL_ACCURACY)
abstract class SparseMetricMismatch {
    @Layer(units = 3, activation = Activation.SOFTMAX) Dense out;
}

@Model(input = {4}, loss = LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, metrics = {Metric.ACCURACY, Metric.MAE})
abstract class SparseWithMae {
    @Layer(units = 3, activation = Activation.SOFTMAX) Dense out;
}
