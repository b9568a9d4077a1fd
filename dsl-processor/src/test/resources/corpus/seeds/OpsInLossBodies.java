package demo;

import dev.tapgrad.*;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.runtime.Ops.*;

/** Every op family of Ops in aux loss bodies; the shapes in the comments are what BodyShapes infers. */
@Model(input = {10}, loss = MSE)
abstract class OpsInLossBodies {
    @Layer(units = 64, activation = TANH) Dense hidden;
    @Layer(units = 8, activation = SOFTMAX) Dense probs;
    @Layer(units = 1) Dense out;

    // DESIGN case 3: mean pairwise cosine similarity inside the batch.
    @AuxLoss(tap = "hidden", weight = 0.1)
    Tensor diversity(Tensor hidden) {
        Tensor unit = l2Normalize(hidden, 1);              // (B, 64)
        return mean(matmul(unit, transpose(unit)));       // (B, B) -> ()
    }

    @AuxLoss(tap = "hidden", weight = 0.01)
    Tensor blocks(Tensor hidden) {
        Tensor norms = sqrt(clip(sum(square(hidden), -1, true), 1e-6, 1e6));   // (B, 1)
        Tensor grid = reshape(div(hidden, norms), -1, 8, 8);                   // (B, 8, 8)
        Tensor gram = matmul(grid, transpose(grid));                           // (B, 8, 8)
        Tensor peaks = max(gram, 2, false);                                    // (B, 8)
        Tensor lows = min(expandDims(peaks, 1), -1);                           // (B, 1)
        return add(mean(logSoftmax(peaks)), mean(mean(exp(lows), 0, true)));
    }

    @AuxLoss(tap = "probs", weight = 0.1)
    Tensor calibration(Tensor probs) {
        Tensor flat = softmax(scale(0.0, probs));                              // (B, 8), every value 1/8
        Tensor kl = klDivergence(flat, probs);
        Tensor ce = categoricalCrossentropy(flat, probs);
        Tensor sq = mse(pow(probs, 2), log(add(probs, flat)));
        return add(add(kl, ce), add(sq, neg(mean(cosineSimilarity(probs, flat, -1)))));
    }

    @AuxLoss(tap = "probs.kernel", weight = 0.001)
    Tensor weights(Tensor kernel) {                                            // (64, 8)
        Tensor lows = reshape(min(kernel, 0, true), 2, -1, 2);                 // (1, 8) -> (2, 2, 2)
        return add(max(abs(kernel)), mean(lows));
    }
}
