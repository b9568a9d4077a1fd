package bad;

import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;

// Expected: [Tapgrad/LossOutput] on fromLogits (line 10): fromLogits applies to the crossentropies, not to HUBER.
@Model(input = {4}, loss = LossKind.HUBER,
        fromLogits = true)
abstract class LogitsOnRegression {
    @Layer(units = 2) Dense out;
}
