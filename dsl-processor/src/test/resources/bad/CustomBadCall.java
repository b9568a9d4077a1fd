package bad;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;

@CustomLayer
abstract class CustomBadCall {
    Tensor call(Tensor x, int times) { return scale(times, x); }
}
