package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

@Model(input = {10}, loss = MSE)
abstract class GeneratedNameClash extends ClashBase {
    @Layer(units = 8, activation = TANH) Dense hidden;
    @Layer(units = 1) Dense out;

    @AuxLoss(tap = "hidden", weight = 0.1)
    Tensor forward(Tensor hidden) { return mean(square(hidden)); }

    @AuxLoss(tap = "out.kernel", weight = 0.01)
    Tensor decay(Tensor kernel) { return sum(square(kernel)); }

    double decayWithGradient() { return 0; }
    Tensor predict(Tensor x) { return x; }
    int steps;
    static final int hiddenOut = 3;
    static class Steps {}
    private void backward() {}
}

abstract class ClashBase {
    protected void losses() {}
    Object outKernel;
}
