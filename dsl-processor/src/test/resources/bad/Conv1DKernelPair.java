package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.layers.Conv1D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.GlobalMaxPool1D;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Metric.*;
import static dev.tapgrad.Padding.*;

@Model(input = {100, 4}, loss = CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
abstract class Conv1DKernelPair {
    @Layer(filters = 16, kernel = {3, 3}, activation = RELU) Conv1D conv;
    @Layer GlobalMaxPool1D pool;
    @Layer(units = 10, activation = SOFTMAX) Dense out;
}
