package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.LayerNorm;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;

@Model(input = {784}, loss = CATEGORICAL_CROSSENTROPY)
abstract class LayerNormZeroEpsilon {
    @Layer(units = 64) Dense hidden;
    @Layer(epsilon = 0) LayerNorm ln;
    @Layer(units = 10, activation = SOFTMAX) Dense out;
}
