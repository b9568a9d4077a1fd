package dev.tapgrad.samples.vae;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Loss;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Dense;

/**
 * A dense variational autoencoder on flattened Fashion-MNIST, Keras's VAE example as one Tapgrad
 * model: the encoder gives {@code zMean} and {@code zLogVar} (two latent dimensions, both from
 * {@code enc}), {@link Sampling} draws {@code z}, the decoder maps it back to 784 pixels. The main
 * loss is the reconstruction's binary crossentropy summed over the pixels (Keras's example sums
 * it, so it is {@code PIXELS} times Keras's per-pixel mean); the KL divergence of {@code N(zMean,
 * exp(zLogVar))} from {@code N(0, 1)} is an aux loss on the two taps, Keras's {@code add_loss}. Both
 * are averaged over the batch, so their sum is the negative ELBO per image, in nats. The labels are
 * the images themselves.
 */
@Model(input = {Vae.PIXELS})
public abstract class Vae {
    /** Pixels of a 28 × 28 image. */
    public static final int PIXELS = 784;
    /** The constant 1 of the KL formula, as a tensor that broadcasts against (B, 2). */
    static final Tensor ONE = Tensor.scalar(1);

    @Layer(units = 256, activation = RELU) Dense enc;
    @Layer(units = 2, inputs = "enc") Dense zMean;
    @Layer(units = 2, inputs = "enc") Dense zLogVar;
    @Layer(inputs = {"zMean", "zLogVar"}) Sampling z;
    @Layer(units = 256, activation = RELU) Dense dec;
    @Layer(units = PIXELS, activation = SIGMOID) Dense out;

    /** Binary crossentropy summed over the pixels (Keras's clipped formula), averaged over the batch. */
    @Loss
    Tensor reconstruction(Tensor yTrue, Tensor yPred) {
        return scale(PIXELS, binaryCrossentropy(yTrue, yPred));
    }

    /** KL(N(μ, σ²) ‖ N(0, 1)) = ½ Σ (μ² + σ² − log σ² − 1) over the latent axis, averaged over the batch. */
    @AuxLoss(tap = {"zMean", "zLogVar"})
    Tensor kl(Tensor zMean, Tensor zLogVar) {
        Tensor perDimension = sub(add(square(zMean), exp(zLogVar)), add(zLogVar, ONE));
        return scale(0.5, mean(sum(perDimension, 1)));
    }
}
