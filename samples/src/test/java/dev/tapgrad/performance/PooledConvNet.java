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

/** Keras's mnist_convnet shape in small: Conv2D → MaxPool2D → Conv2D → MaxPool2D → Flatten → Dense, a tap on a pool. */
@Model(input = {14, 14, 1}, loss = CATEGORICAL_CROSSENTROPY)
abstract class PooledConvNet {
    @Layer(filters = 8, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer MaxPool2D pool1;
    @Layer(filters = 16, kernel = 3, activation = RELU) Conv2D conv2;
    @Layer(pool = 2, padding = SAME) MaxPool2D pool2;
    @Layer Flatten flat;
    @Layer(units = 10, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "pool1", weight = 0.01)
    Tensor small(Tensor pool1) { return mean(square(pool1)); }
}
