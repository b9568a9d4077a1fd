package bad;

import dev.tapgrad.Activation;
import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

// Expected: [Tapgrad/LossOutput] on the loss value (line 10): one class cannot be classified.
@Model(input = {4}, loss = LossKind.SPARSE_CATEGORICAL_CROSSENTROPY)
abstract class SparseOnOneUnit {
    @Layer(units = 1, activation = Activation.SOFTMAX) Dense out;
}
