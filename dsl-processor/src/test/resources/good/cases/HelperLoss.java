package cases;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

/**
 * DESIGN §1 case 6, small: an auxiliary loss that calls a static helper method, which is
 * differentiated through; its reference values come from
 * {@code samples/src/test/python/make_case_references.py} (PyTorch), fixtures in
 * {@code HelperLoss/}.
 */
@Model(input = {8}, loss = CATEGORICAL_CROSSENTROPY)
abstract class HelperLoss {
    @Layer(units = 6, activation = RELU) Dense hidden;
    @Layer(units = 5, activation = RELU) Dense intermediate;
    @Layer(units = 3, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "intermediate", weight = 0.1)
    Tensor reg(Tensor act) { return meanSquare(act); }

    static Tensor meanSquare(Tensor a) { return mean(square(a)); }
}
