package bad;

import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

// Expected: [Tapgrad/MetricLoss] on the metrics value (line 12): accuracy counts classes, MAE is a regression loss.
// Also the sparse accuracy with another loss, and the binary accuracy with the sparse loss, each one error.

@Model(input = {4}, loss = LossKind.MAE, metrics = {Metric.ACCURACY, Metric.MSE})
abstract class AccuracyOnRegression {
    @Layer(units = 1) Dense out;
}
