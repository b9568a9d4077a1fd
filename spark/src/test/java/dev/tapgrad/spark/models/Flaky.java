package dev.tapgrad.spark.models;

import static dev.tapgrad.Activation.SOFTMAX;

import dev.tapgrad.Layer;
import dev.tapgrad.LossKind;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.layers.Dense;
import java.util.concurrent.atomic.AtomicInteger;

/** A model whose construction fails while {@link #FAILURES} is positive: a lost executor task, on demand. */
@Model(input = {12}, loss = LossKind.CATEGORICAL_CROSSENTROPY)
public abstract class Flaky {
    /** How many of the next constructions throw. */
    public static final AtomicInteger FAILURES = new AtomicInteger();

    @Layer(units = 4, activation = SOFTMAX) Dense out;

    protected Flaky() {
        if (FAILURES.getAndDecrement() > 0) {
            throw new IllegalStateException("injected failure: the executor was lost while building the model");
        }
    }
}
