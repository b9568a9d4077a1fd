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
 * DESIGN §1 case 5, small: auxiliary losses on parameters, an L1 term on a kernel and a square
 * term on a bias; its reference values come from
 * {@code samples/src/test/python/make_case_references.py} (PyTorch), fixtures in
 * {@code WeightLoss/}.
 */
@Model(input = {8}, loss = CATEGORICAL_CROSSENTROPY)
abstract class WeightLoss {
    @Layer(units = 6, activation = RELU) Dense hidden;
    @Layer(units = 5, activation = RELU) Dense intermediate;
    @Layer(units = 3, activation = SOFTMAX) Dense out;

    @AuxLoss(tap = "intermediate.kernel", weight = 0.1)
    Tensor l1(Tensor kernel) { return sum(abs(kernel)); }

    @AuxLoss(tap = "out.bias", weight = 0.2)
    Tensor biasSquare(Tensor b) { return sum(square(b)); }
}
