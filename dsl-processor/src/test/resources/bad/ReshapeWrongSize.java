package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;
import dev.tapgrad.runtime.layers.Reshape;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Metric.*;
import static dev.tapgrad.Padding.*;

@Model(input = {28, 28, 1}, loss = CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
abstract class ReshapeWrongSize {
    @Layer(shape = {7, 7, 15}) Reshape grid;
    @Layer Flatten flat;
    @Layer(units = 10, activation = SOFTMAX) Dense out;
}
