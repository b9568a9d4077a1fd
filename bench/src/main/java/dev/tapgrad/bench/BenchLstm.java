package dev.tapgrad.bench;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.*;
import java.util.Random;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

/** Workload (b): the seed LSTM, MSE + KL(target ‖ softmax(h_t)) at every step (the prior-lstm sample's model). */
@Model(input = {100, 1}, loss = MSE)
public abstract class BenchLstm {
    static final Tensor TARGET = softmax(Tensor.randn(new Random(7), 64));

    @Layer(units = 64, returnSequences = true) Lstm lstm;
    @Layer(units = 1) Dense out;

    @AuxLoss(tap = "lstm")
    Tensor prior(Tensor lstm) { return klDivergence(TARGET, softmax(lstm)); }
}
