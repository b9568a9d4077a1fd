package custom;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.CustomLayer;
import dev.tapgrad.Init;
import dev.tapgrad.Weight;
import dev.tapgrad.runtime.Tensor;

/** Two inputs: a + exp(0.5 · b) · scale, with a per-feature scale weight. */
@CustomLayer
public abstract class Gate {
    @Weight(shape = {"input"}, init = Init.ONES) Tensor scale;

    Tensor call(Tensor a, Tensor b) {
        return add(a, mul(exp(scale(0.5, b)), scale));
    }
}
