package bad;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;

@CustomLayer
abstract class CustomLoop {
    @Weight(shape = {"units"}) Tensor bias;

    Tensor call(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < 3; i++) {
            h = add(h, bias);
        }
        return h;
    }
}
