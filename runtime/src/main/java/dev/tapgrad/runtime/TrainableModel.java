package dev.tapgrad.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What every generated {@code <Model>Graph} offers, so code can train, evaluate and store any
 * Tapgrad model without knowing its class:
 *
 * <pre>{@code
 * TrainableModel model = new SparseCnnGraph(42);
 * model.fit(train, Fit.epochs(5));
 * double accuracy = model.evaluate(test).get("accuracy");
 * }</pre>
 */
public interface TrainableModel {
    /** Trains on {@code train}; each loss term is reported separately, per epoch, in the history. */
    History fit(Dataset train, Fit options);

    /** The weighted total {@code loss}, every term unweighted, and every metric on {@code data}. */
    Map<String, Double> evaluate(Dataset data);

    /** The model's outputs for {@code x}; no loss is computed. */
    Tensor predict(Tensor x);

    /** Loss terms and the gradient of the total loss for every parameter; the weights do not change. */
    Gradients gradients(Tensor x, Tensor y);

    /** Writes every parameter to a safetensors file, named {@code layer.param} in Keras layouts. */
    void save(Path file) throws IOException;

    /** Reads every parameter from a safetensors file; on any error the weights stay as they were. */
    void load(Path file) throws IOException;
}
