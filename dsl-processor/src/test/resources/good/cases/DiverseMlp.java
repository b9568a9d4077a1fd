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
 * DESIGN §1 case 3, small: the mean pairwise cosine similarity of the hidden activations inside
 * the batch (a local variable, l2Normalize, matmul and transpose); its reference values come from
 * {@code samples/src/test/python/make_case_references.py} (PyTorch), fixtures in
 * {@code DiverseMlp/}.
 */
@Model(input = {5}, loss = MSE)
abstract class DiverseMlp {
    @Layer(units = 6, activation = RELU) Dense hidden;
    @Layer(units = 1) Dense out;

    @AuxLoss(tap = "hidden", weight = 0.1)
    Tensor diversity(Tensor hidden) {
        Tensor unit = l2Normalize(hidden, 1);
        return mean(matmul(unit, transpose(unit)));
    }
}
