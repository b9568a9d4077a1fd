package dev.tapgrad.bench;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

/** Workload (c): the seed MLP, MSE + 0.1·mean pairwise cosine similarity (the diverse-mlp sample's model). */
@Model(input = {10}, loss = MSE)
public abstract class BenchDiverseMlp {
    @Layer(units = 64, activation = RELU) Dense hidden;
    @Layer(units = 1) Dense out;

    @AuxLoss(tap = "hidden", weight = 0.1)
    Tensor diversity(Tensor hidden) {
        Tensor unit = l2Normalize(hidden, 1);
        return mean(matmul(unit, transpose(unit)));
    }
}
