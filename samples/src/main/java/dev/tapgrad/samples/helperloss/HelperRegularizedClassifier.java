package dev.tapgrad.samples.helperloss;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Metric.*;
import static dev.tapgrad.runtime.Ops.*;

/**
 * Case 6 of the design: an MLP on flattened Fashion-MNIST whose auxiliary loss, an L2 penalty on
 * the {@code intermediate} layer's activations, calls a helper method. The processor
 * differentiates through {@link #meanSquare} as if its body were written in {@link #reg}. It
 * generates {@code HelperRegularizedClassifierGraph} from this class.
 */
@Model(input = {784}, loss = CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
public abstract class HelperRegularizedClassifier {
    @Layer(units = 64, activation = RELU) Dense hidden;
    @Layer(units = 32, activation = RELU) Dense intermediate;
    @Layer(units = 10, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "intermediate", weight = 0.1)
    Tensor reg(Tensor act) { return meanSquare(act); }

    static Tensor meanSquare(Tensor a) { return mean(square(a)); }
}
