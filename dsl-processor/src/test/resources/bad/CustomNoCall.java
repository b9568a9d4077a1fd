package bad;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;

@CustomLayer
abstract class CustomNoCall {
    @Weight(shape = {"input", "units"}) Tensor kernel;

    Tensor apply(Tensor x) { return matmul(x, kernel); }
}
