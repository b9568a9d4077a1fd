package custom;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.CustomLayer;
import dev.tapgrad.runtime.Tensor;

/** A layer that takes the mode and draws from the graph's generator: x + 0.1 · noise. */
@CustomLayer
public abstract class Noisy {
    Tensor call(Tensor x, boolean training) {
        return add(x, scale(0.1, randomNormal(x)));
    }
}
