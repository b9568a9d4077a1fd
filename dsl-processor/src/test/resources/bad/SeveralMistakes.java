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
abstract class SeveralMistakes {
    @Layer(filters = 32, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer Flatten flat;
    @Layer(units = 10, filters = 8, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "conv2", weight = 0)
    Tensor sparsity(Tensor conv1) { return mean(abs(conv1)); }

    @AuxLoss(tap = "conv1")
    private Tensor loop(Tensor conv1) {
        for (int i = 0; i < 3; i++) {
            conv1 = abs(conv1);
        }
        return mean(conv1);
    }
}
