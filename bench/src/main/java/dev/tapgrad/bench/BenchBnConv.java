package dev.tapgrad.bench;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

/**
 * Workload bnconv64 (issue 17 (c)): the two-conv CNN with a BatchNorm after each convolution,
 * 28x28x1 → Conv2D(16, relu) → BatchNorm → Conv2D(32, relu) → BatchNorm → Flatten → Dense(10,
 * softmax), batch 64; CE plus an L1 activity penalty on the first BatchNorm's output. {@code fit}
 * trains, so the BatchNorms normalise with the batch's statistics and update their moving ones.
 */
@Model(input = {28, 28, 1}, loss = CATEGORICAL_CROSSENTROPY)
public abstract class BenchBnConv {
    @Layer(filters = 16, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer BatchNorm bn1;
    @Layer(filters = 32, kernel = 3, activation = RELU) Conv2D conv2;
    @Layer BatchNorm bn2;
    @Layer Flatten flat;
    @Layer(units = 10, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "bn1", weight = 0.01)
    Tensor sparsity(Tensor bn1) { return mean(abs(bn1)); }
}
