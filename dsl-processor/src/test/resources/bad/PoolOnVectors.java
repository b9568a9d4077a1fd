package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.layers.AvgPool2D;
import dev.tapgrad.runtime.layers.Dense;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Metric.*;
import static dev.tapgrad.Padding.*;

@Model(input = {784}, loss = CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
abstract class PoolOnVectors {
    @Layer(units = 64, activation = RELU) Dense hidden;
    @Layer AvgPool2D pool1;
    @Layer(units = 10, activation = SOFTMAX) Dense out;
}
