package demo;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.*;
import java.util.Random;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

/** DESIGN §1 case 2: KL divergence of LSTM states to a constant target distribution. */
@Model(input = {100, 1}, loss = MSE)
abstract class PriorLstm {
    static final Tensor TARGET = softmax(Tensor.randn(new Random(7), 64));   // a constant: no gradient
    @Layer(units = 64, returnSequences = true) Lstm lstm;
    @Layer(units = 1) Dense out;

    @AuxLoss(tap = "lstm")
    Tensor prior(Tensor lstm) { return klDivergence(TARGET, softmax(lstm)); }
}
