package dev.tapgrad.samples.convnet;

import dev.tapgrad.*;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Metric.*;

/**
 * Keras's mnist_convnet example, layer for layer: two 3x3 ReLU convolutions (32 and 64 filters),
 * each followed by 2x2 max pooling, then Flatten, Dropout 0.5 and a softmax Dense over the 10
 * classes. The processor generates {@code ConvNetGraph} from this class.
 */
@Model(input = {28, 28, 1}, loss = CATEGORICAL_CROSSENTROPY, metrics = ACCURACY)
public abstract class ConvNet {
    @Layer(filters = 32, kernel = 3, activation = RELU) Conv2D conv1;
    @Layer MaxPool2D pool1;
    @Layer(filters = 64, kernel = 3, activation = RELU) Conv2D conv2;
    @Layer MaxPool2D pool2;
    @Layer Flatten flat;
    @Layer(rate = 0.5) Dropout drop;
    @Layer(units = 10, activation = SOFTMAX) Dense out;
}
