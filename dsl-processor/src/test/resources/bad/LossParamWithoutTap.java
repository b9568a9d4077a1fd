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

@Model(input = {784}, metrics = ACCURACY)
abstract class LossParamWithoutTap {
    @Layer(units = 32, activation = RELU) Dense hidden;
    @Layer(units = 5, activation = SOFTMAX) Dense out;

    @Loss
    Tensor loss(Tensor yTrue, Tensor yPred, Tensor act) {
        return add(categoricalCrossentropyish(yTrue, yPred), mean(abs(act)));
    }

    static Tensor categoricalCrossentropyish(Tensor a, Tensor b) { return mean(square(sub(a, b))); }
}
