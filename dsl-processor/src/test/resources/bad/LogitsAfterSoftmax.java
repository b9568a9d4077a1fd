package bad;

import dev.tapgrad.Activation;
import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

// Expected: a [Tapgrad/LossOutput] warning on fromLogits (line 12): the softmax output is squashed twice.
// The model still compiles.
@Model(input = {4}, loss = LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, fromLogits = true, metrics = Metric.ACCURACY)
abstract class LogitsAfterSoftmax {
    @Layer(units = 3, activation = Activation.SOFTMAX) Dense out;
}
