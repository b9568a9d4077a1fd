package cases;

import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Lstm;

/**
 * DESIGN §1 case 2, small: the KL divergence of the softmax of every LSTM state to a constant
 * target distribution, with a Dense acting per time step on the sequence; its reference values
 * come from {@code samples/src/test/python/make_case_references.py} (PyTorch's {@code nn.LSTM}),
 * fixtures in {@code PriorLstm/}.
 */
@Model(input = {6, 2}, loss = MSE)
abstract class PriorLstm {
    static final Tensor TARGET = Tensor.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 4);

    @Layer(units = 4, returnSequences = true) Lstm lstm;
    @Layer(units = 1) Dense out;

    @AuxLoss(tap = "lstm", weight = 0.5)
    Tensor prior(Tensor lstm) { return klDivergence(TARGET, softmax(lstm)); }
}
