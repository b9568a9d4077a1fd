package dev.tapgrad.bench;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

/** Workload (a): the seed CNN, CE + 0.01·mean|conv| (issue 5; the sparse-cnn sample's model). */
@Model(input = {28, 28, 1}, loss = CATEGORICAL_CROSSENTROPY)
public abstract class BenchCnn {
    @Layer(filters = 32, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer Flatten flat;
    @Layer(units = 10, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "conv1", weight = 0.01)
    Tensor sparsity(Tensor conv1) { return mean(abs(conv1)); }
}
