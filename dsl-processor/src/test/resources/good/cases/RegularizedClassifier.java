package cases;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.Metric.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.Layer;
import dev.tapgrad.Loss;
import dev.tapgrad.Model;
import dev.tapgrad.Tap;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

/**
 * DESIGN §1 case 4, small: a {@code @Loss} method that reads labels, predictions and an
 * intermediate activation (its one term is named {@code loss}); its reference values come from
 * {@code samples/src/test/python/make_case_references.py} (PyTorch), fixtures in
 * {@code RegularizedClassifier/}.
 */
@Model(input = {8}, metrics = ACCURACY)
abstract class RegularizedClassifier {
    @Layer(units = 6, activation = RELU) Dense hidden;
    @Layer(units = 5, activation = RELU) Dense intermediate;
    @Layer(units = 3, activation = SOFTMAX) Dense out;

    @Loss
    Tensor loss(Tensor yTrue, Tensor yPred, @Tap("intermediate") Tensor act) {
        return add(categoricalCrossentropy(yTrue, yPred), scale(0.1, mean(abs(act))));
    }
}
