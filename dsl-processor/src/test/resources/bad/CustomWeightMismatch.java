package bad;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;

@CustomLayer
abstract class CustomWeightMismatch {
    @Weight(shape = {"units", "units"}) Tensor kernel;

    Tensor call(Tensor x) { return matmul(x, kernel); }
}
