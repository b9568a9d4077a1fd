package dev.tapgrad.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loss terms and the gradient of the total loss for every parameter, at fixed weights: what a
 * graph's {@code gradients(x, y)} returns, for inspection and for checks against finite
 * differences or PyTorch. The tensors are copies; changing them changes nothing in the model.
 *
 * <pre>{@code
 * Gradients g = model.gradients(x, y);
 * g.terms();               // {categorical_crossentropy=2.30, sparsity=0.41}, unweighted
 * g.get("conv1.kernel");   // (3, 3, 1, 32)
 * }</pre>
 */
public final class Gradients {
    private final double loss;
    private final Map<String, Double> terms;
    private final Map<String, Tensor> grads;

    /**
     * @param loss the weighted total
     * @param terms each term, unweighted, in the graph's term order
     * @param grads each parameter's gradient by {@code layer.param} name, in declaration order
     */
    public Gradients(double loss, Map<String, Double> terms, Map<String, Tensor> grads) {
        this.loss = loss;
        this.terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
        this.grads = Collections.unmodifiableMap(new LinkedHashMap<>(grads));
    }

    /** The total loss: the main term plus each auxiliary term times its weight. */
    public double loss() {
        return loss;
    }

    /** Each loss term by name, unweighted, the main loss first. */
    public Map<String, Double> terms() {
        return terms;
    }

    /**
     * The gradient of the total loss for parameter {@code param}, e.g. {@code conv1.kernel}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public Tensor get(String param) {
        Tensor t = grads.get(param);
        if (t == null) {
            throw new IllegalArgumentException("no parameter '" + param + "'; the parameters are " + grads.keySet());
        }
        return t;
    }

    /** Every gradient by parameter name, in declaration order. */
    public Map<String, Tensor> all() {
        return grads;
    }

    @Override
    public String toString() {
        return "Gradients(loss=" + loss + ", terms=" + terms + ", params=" + grads.keySet() + ")";
    }
}
