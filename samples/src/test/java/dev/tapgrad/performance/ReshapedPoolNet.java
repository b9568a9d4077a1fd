package dev.tapgrad.performance;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Padding.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.AvgPool2D;
import dev.tapgrad.runtime.layers.Conv1D;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;
import dev.tapgrad.runtime.layers.GlobalAvgPool1D;
import dev.tapgrad.runtime.layers.GlobalAvgPool2D;
import dev.tapgrad.runtime.layers.GlobalMaxPool1D;
import dev.tapgrad.runtime.layers.GlobalMaxPool2D;
import dev.tapgrad.runtime.layers.MaxPool2D;
import dev.tapgrad.runtime.layers.Reshape;

/** Reshape → Conv2D → AvgPool2D (SAME) → GlobalMaxPool2D / GlobalAvgPool2D → Dense. */
@Model(input = {64}, loss = CATEGORICAL_CROSSENTROPY)
abstract class ReshapedPoolNet {
    @Layer(shape = {8, 8, -1}) Reshape image;
    @Layer(filters = 6, kernel = 3, padding = SAME, activation = TANH) Conv2D conv;
    @Layer(pool = 3, strides = 2, padding = SAME) AvgPool2D pool;
    @Layer GlobalMaxPool2D peak;
    @Layer(inputs = "pool") GlobalAvgPool2D level;
    @Layer(inputs = "peak", units = 3, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "level", weight = 0.1)
    Tensor calm(Tensor level) { return mean(square(level)); }
}
