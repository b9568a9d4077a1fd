package cases;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Add;
import dev.tapgrad.runtime.layers.Concatenate;
import dev.tapgrad.runtime.layers.Dense;

/**
 * DAG wiring: a residual Add ({@code a} feeds {@code b}, {@code skip} and the aux loss), a
 * Concatenate that reads the model input again, and one auxiliary loss with two taps; its
 * reference values come from {@code samples/src/test/python/make_case_references.py} (PyTorch),
 * fixtures in {@code ResidualDag/}.
 */
@Model(input = {6}, loss = MSE)
abstract class ResidualDag {
    @Layer(units = 8, activation = TANH) Dense a;
    @Layer(units = 8, activation = TANH) Dense b;
    @Layer(inputs = {"a", "b"}) Add skip;
    @Layer(inputs = {"skip", "input"}) Concatenate joined;
    @Layer(units = 3) Dense out;

    @AuxLoss(tap = {"a", "skip"}, weight = 0.2)
    Tensor both(Tensor a, Tensor s) { return add(mean(square(a)), mean(abs(s))); }
}
