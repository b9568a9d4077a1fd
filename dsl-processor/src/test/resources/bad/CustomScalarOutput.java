package bad;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;

@CustomLayer
abstract class CustomScalarOutput {
    Tensor call(Tensor x) {
        Tensor h = exp(x);
        return sum(h);
    }
}
