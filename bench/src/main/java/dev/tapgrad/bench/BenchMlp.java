package dev.tapgrad.bench;

import dev.tapgrad.*;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;

/** Workload (d): MLP 784 → 512 → 512 → 10 with crossentropy, no aux loss. */
@Model(input = {784}, loss = CATEGORICAL_CROSSENTROPY)
public abstract class BenchMlp {
    @Layer(units = 512, activation = RELU) Dense hidden1;
    @Layer(units = 512, activation = RELU) Dense hidden2;
    @Layer(units = 10, activation = SOFTMAX) Dense out;
}
