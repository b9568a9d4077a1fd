package bad;

import dev.tapgrad.Activation;
import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

// Expected: [Tapgrad/LossOutput] on the loss value (line 10): binary_crossentropy needs probabilities.
@Model(input = {4}, loss = LossKind.BINARY_CROSSENTROPY)
abstract class BinaryOnRelu {
    @Layer(units = 1, activation = Activation.RELU) Dense out;
}
