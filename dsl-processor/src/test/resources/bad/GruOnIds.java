package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Embedding;
import dev.tapgrad.runtime.layers.Gru;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;

@Model(input = {20, 3}, loss = MSE)
abstract class GruOnIds {
    @Layer(vocabulary = 100, units = 16) Embedding tokens;
    @Layer(units = 8) Gru gru;
    @Layer(units = 1, activation = SIGMOID) Dense out;
}
