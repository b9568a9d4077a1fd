package bad;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;

@CustomLayer
abstract class CustomModeOutsideConditional {
    @Weight(shape = {"input"}) Tensor w;

    Tensor call(Tensor x, boolean training) {
        return mul(w, sum(x, -1, training));
    }
}
