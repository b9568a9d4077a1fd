package dev.tapgrad.performance;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Padding.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.BatchNorm;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Dropout;
import dev.tapgrad.runtime.layers.GlobalAvgPool2D;

/**
 * The convolution shapes outside the 3x3 stride-1 VALID case (issue 17 item 2 gives each a fast
 * path): a strided SAME convolution over three channels, a Dropout on images, a 5x5 SAME convolution
 * without activation, and a BatchNorm on features (rank 2) after a Dense; a tap on the Dropout's output.
 */
@Model(input = {12, 12, 3}, loss = CATEGORICAL_CROSSENTROPY)
abstract class StridedConvNet {
    @Layer(filters = 8, kernel = 3, strides = 2, padding = SAME, activation = RELU) Conv2D conv1;
    @Layer(rate = 0.25) Dropout drop;
    @Layer(filters = 8, kernel = 5, padding = SAME) Conv2D conv2;
    @Layer GlobalAvgPool2D pool;
    @Layer(units = 16, activation = RELU) Dense hidden;
    @Layer BatchNorm bn;
    @Layer(units = 4, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "drop", weight = 0.01)
    Tensor small(Tensor drop) { return mean(square(drop)); }
}
