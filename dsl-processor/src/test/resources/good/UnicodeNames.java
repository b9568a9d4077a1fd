package demo;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Add;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

/** Names with $ and beyond ASCII, which JavaPoet must receive as arguments, never inside a format string. */
@Model(input = {10}, loss = MSE)
abstract class UnicodeNames {
    @Layer(units = 8, activation = TANH) Dense $hidden;
    @Layer(units = 8, activation = TANH, inputs = "$hidden") Dense ñ;
    @Layer(inputs = {"$hidden", "ñ"}) Add 层;
    @Layer(units = 1, inputs = "层") Dense $$;

    @AuxLoss(tap = "$hidden", weight = 0.1)
    Tensor $penalty(Tensor $h) { return mean(square($h)); }

    @AuxLoss(tap = {"ñ", "层"}, weight = 0.01)
    Tensor ñorm$1(Tensor ñ, Tensor 核) { return add(mean(abs(ñ)), mean(square(核))); }

    @AuxLoss(tap = "$$.kernel", weight = 0.01)
    Tensor $L$S$N(Tensor $T) { return sum(square($T)); }
}
