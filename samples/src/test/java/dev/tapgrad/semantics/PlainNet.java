package dev.tapgrad.semantics;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;

import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;

/** {@link SparseNet} without its aux loss: the baseline for "no aux gradient after the tap". */
@Model(input = {6, 6, 2}, loss = CATEGORICAL_CROSSENTROPY)
abstract class PlainNet {
    @Layer(filters = 3, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer Flatten flat;
    @Layer(units = 4, activation = SOFTMAX) Dense out;
}
