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

/** Conv1D → GlobalMaxPool1D → Dense, a second branch averaging the same conv, and a tap on the pool. */
@Model(input = {20, 3}, loss = CATEGORICAL_CROSSENTROPY)
abstract class SeqPoolNet {
    @Layer(filters = 8, kernel = 3, padding = SAME, activation = RELU) Conv1D conv;
    @Layer GlobalMaxPool1D maxPool;
    @Layer(inputs = "conv") GlobalAvgPool1D avgPool;
    @Layer(inputs = "maxPool", units = 4, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = {"maxPool", "avgPool"}, weight = 0.01)
    Tensor spread(Tensor top, Tensor mean) { return mean(square(sub(top, mean))); }
}
