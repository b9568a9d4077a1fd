package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Metric.*;
import static dev.tapgrad.runtime.Ops.*;

@Model(input = {28, 28, 1}, loss = CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
abstract class StaticLayerField {
    @Layer(filters = 32, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer static Flatten flat;
    @Layer(units = 10, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "conv1", weight = 0.01)
    Tensor sparsity(Tensor conv1) { return mean(abs(conv1)); }
}
