package dev.tapgrad.samples.vae;

import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.CustomLayer;
import dev.tapgrad.runtime.Tensor;

/**
 * The reparameterisation trick as a layer, DESIGN.md §1c's {@code Sampling}: {@code z = mean +
 * exp(logVar / 2) · ε} with {@code ε ~ N(0, 1)} drawn from the graph's seeded generator. The draw
 * takes no gradient, so the gradient reaches {@code mean} and {@code logVar} (Keras's VAE example
 * writes the same layer).
 */
@CustomLayer
public abstract class Sampling {
    Tensor call(Tensor mean, Tensor logVar) {
        return add(mean, mul(exp(scale(0.5, logVar)), randomNormal(mean)));
    }
}
