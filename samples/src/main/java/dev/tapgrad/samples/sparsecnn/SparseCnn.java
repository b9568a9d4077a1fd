package dev.tapgrad.samples.sparsecnn;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Metric.*;
import static dev.tapgrad.runtime.Ops.*;

/**
 * Case 1 of the design: a small CNN on Fashion-MNIST with an L1 sparsity penalty on the conv
 * layer's activations (Keras: {@code model.add_loss(0.01 * mean(abs(conv.output)))}). The
 * processor generates {@code SparseCnnGraph} from this class.
 */
@Model(input = {28, 28, 1}, loss = CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
public abstract class SparseCnn {
    @Layer(filters = 32, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer Flatten flat;
    @Layer(units = 10, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "conv1", weight = 0.01)
    Tensor sparsity(Tensor conv1) { return mean(abs(conv1)); }
}
