package dev.tapgrad.samples.activationloss;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.Metric.*;
import static dev.tapgrad.runtime.Ops.*;

/**
 * Case 4 of the design: an MLP on flattened Fashion-MNIST whose main loss is a {@code @Loss}
 * method reading the labels, the predictions and the {@code intermediate} layer's activations:
 * crossentropy plus an L1 penalty on those activations. The processor generates
 * {@code RegularizedClassifierGraph} from this class.
 */
// The seed document this case comes from trains 5 output units on one-hot MNIST labels cut to 5
// columns, which silently drops half the classes. Here the output has one unit per Fashion-MNIST
// class, and the label width is checked at run time: fit() with labels of another width fails with
// "labels have 5 columns but RegularizedClassifier's output has 10 units".
@Model(input = {784}, metrics = ACCURACY)
public abstract class RegularizedClassifier {
    @Layer(units = 64, activation = RELU) Dense hidden;
    @Layer(units = 32, activation = RELU) Dense intermediate;
    @Layer(units = 10, activation = SOFTMAX) Dense out;

    @Loss
    Tensor loss(Tensor yTrue, Tensor yPred, @Tap("intermediate") Tensor act) {
        return add(categoricalCrossentropy(yTrue, yPred), scale(0.1, mean(abs(act))));
    }
}
