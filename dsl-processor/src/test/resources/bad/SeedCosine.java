package bad;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Conv2D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.Flatten;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Metric.ACCURACY;
import static dev.tapgrad.runtime.Ops.*;

// The seed's diversity loss, transcribed: matmul(x, xᵀ) / (‖x‖ · ‖x‖[:, newaxis]) — the norms are
// (B, 1) and (B, 1, 1), so their product silently broadcasts to (B, B, 1) in TensorFlow.
@Model(input = {10}, loss = MSE)
abstract class SeedCosine {
    @Layer(units = 64, activation = RELU) Dense hidden;
    @Layer(units = 1) Dense out;

    @AuxLoss(tap = "hidden", weight = 0.1)
    Tensor diversity(Tensor x) {
        Tensor norm = sqrt(sum(square(x), 1, true));
        Tensor similarity = div(matmul(x, transpose(x)), mul(norm, expandDims(norm, 2)));
        return mean(similarity);
    }
}
