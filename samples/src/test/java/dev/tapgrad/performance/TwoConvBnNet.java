package dev.tapgrad.performance;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.BatchNorm;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;

/**
 * Issue 17's two-conv CNN with a BatchNorm after each convolution, at the benchmark's sizes
 * (bench workloads twoconv64 and bnconv64): the second convolution reads 16 channels, which takes
 * another kernel path than the one-channel convs of the samples; taps on a convolution with many
 * input channels (a fused penalty there) and on a BatchNorm output.
 */
@Model(input = {28, 28, 1}, loss = CATEGORICAL_CROSSENTROPY)
abstract class TwoConvBnNet {
    @Layer(filters = 16, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer BatchNorm bn1;
    @Layer(filters = 32, kernel = 3, activation = RELU) Conv2D conv2;
    @Layer BatchNorm bn2;
    @Layer Flatten flat;
    @Layer(units = 10, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "conv2", weight = 0.001)
    Tensor activity(Tensor conv2) { return mean(square(conv2)); }

    @AuxLoss(tap = "bn1", weight = 0.01)
    Tensor sparsity(Tensor bn1) { return mean(abs(bn1)); }
}
