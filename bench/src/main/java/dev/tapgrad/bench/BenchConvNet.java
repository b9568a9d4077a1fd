package dev.tapgrad.bench;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

/**
 * Workload convnet128: Keras's mnist_convnet, layer for layer as the samples' {@code convnet} case
 * defines it (issue 12): two 3x3 ReLU convolutions, each followed by 2x2 max pooling, then Flatten,
 * Dropout 0.5 (active: {@code fit} trains) and a softmax Dense over 10 classes; CE, plus (issue 17:
 * every workload has an aux loss on an inner layer, as users write them) an L1 activity penalty
 * on the second convolution. No metrics: the bench times the training step only.
 */
@Model(input = {28, 28, 1}, loss = CATEGORICAL_CROSSENTROPY)
public abstract class BenchConvNet {
    @Layer(filters = 32, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer MaxPool2D pool1;
    @Layer(filters = 64, kernel = 3, activation = RELU) Conv2D conv2;
    @Layer MaxPool2D pool2;
    @Layer Flatten flat;
    @Layer(rate = 0.5) Dropout drop;
    @Layer(units = 10, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "conv2", weight = 0.01)
    Tensor sparsity(Tensor conv2) { return mean(abs(conv2)); }
}
