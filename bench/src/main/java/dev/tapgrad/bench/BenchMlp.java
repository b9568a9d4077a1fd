package dev.tapgrad.bench;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

/** Workload mlp128: MLP 784 → 512 → 512 → 10 with crossentropy and (issue 17) an L2 activity penalty on the second hidden layer. */
@Model(input = {784}, loss = CATEGORICAL_CROSSENTROPY)
public abstract class BenchMlp {
    @Layer(units = 512, activation = RELU) Dense hidden1;
    @Layer(units = 512, activation = RELU) Dense hidden2;
    @Layer(units = 10, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "hidden2", weight = 0.001)
    Tensor activity(Tensor hidden2) { return mean(square(hidden2)); }
}
