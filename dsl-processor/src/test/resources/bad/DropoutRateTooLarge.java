package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Dropout;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;

@Model(input = {784}, loss = CATEGORICAL_CROSSENTROPY)
abstract class DropoutRateTooLarge {
    @Layer(units = 64, activation = RELU) Dense hidden;
    @Layer(rate = 1.5) Dropout drop;
    @Layer(units = 10, activation = SOFTMAX) Dense out;
}
