package dev.tapgrad.runtime;

/**
 * A trainable tensor of a layer with its gradient buffer, named {@code layer.param} with Keras's
 * names ({@code conv1.kernel}, {@code out.bias}); the name is also the checkpoint key and the tap
 * name.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private final Tensor grad;

    /** A parameter holding {@code value}, with a zero gradient of the same shape. */
    public Parameter(String name, Tensor value) {
        this.name = name;
        this.value = value;
        this.grad = Tensor.zeros(value.shape());
    }

    /** The dotted name, e.g. {@code conv1.kernel}. */
    public String name() {
        return name;
    }

    /** The live value (updated in place by optimizers and checkpoint loads). */
    public Tensor value() {
        return value;
    }

    /** The live gradient of the total loss with respect to {@link #value()}. */
    public Tensor grad() {
        return grad;
    }

    /** Sets the gradient to zero before a step accumulates into it. */
    public void zeroGrad() {
        grad.fill(0f);
    }
}
