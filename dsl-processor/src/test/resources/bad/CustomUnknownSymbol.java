package bad;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;

@CustomLayer
abstract class CustomUnknownSymbol {
    @Weight(shape = {"inputs", "units"}) Tensor kernel;

    Tensor call(Tensor x) { return matmul(x, kernel); }
}
