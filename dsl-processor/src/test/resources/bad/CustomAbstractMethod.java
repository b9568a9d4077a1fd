package bad;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;

@CustomLayer
abstract class CustomAbstractMethod {
    Tensor call(Tensor x) { return exp(x); }

    abstract double temperature();
}
