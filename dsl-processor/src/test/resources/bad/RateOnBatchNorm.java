package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.layers.BatchNorm;
import dev.tapgrad.runtime.layers.Dense;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;

@Model(input = {784}, loss = CATEGORICAL_CROSSENTROPY)
abstract class RateOnBatchNorm {
    @Layer(units = 64) Dense hidden;
    @Layer(rate = 0.5) BatchNorm bn;
    @Layer(units = 10, activation = SOFTMAX) Dense out;
}
