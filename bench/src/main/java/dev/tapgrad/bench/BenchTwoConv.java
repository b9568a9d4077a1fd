package dev.tapgrad.bench;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

/**
 * Workload twoconv64 (issue 17 (b)): the model a new user tried outside the benchmark, 28x28x1 →
 * Conv2D(16, 3x3, relu) → Conv2D(32, 3x3, relu) → Flatten → Dense(10, softmax), batch 64, Adam; CE
 * plus an L2 activity penalty on the second convolution, the one with many input channels.
 */
@Model(input = {28, 28, 1}, loss = CATEGORICAL_CROSSENTROPY)
public abstract class BenchTwoConv {
    @Layer(filters = 16, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer(filters = 32, kernel = 3, activation = RELU) Conv2D conv2;
    @Layer Flatten flat;
    @Layer(units = 10, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "conv2", weight = 0.001)
    Tensor activity(Tensor conv2) { return mean(square(conv2)); }
}
