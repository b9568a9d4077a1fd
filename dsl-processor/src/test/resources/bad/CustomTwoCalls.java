package bad;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;

@CustomLayer
abstract class CustomTwoCalls {
    Tensor call(Tensor x) { return exp(x); }

    Tensor call(Tensor x, Tensor y) { return add(x, y); }
}
