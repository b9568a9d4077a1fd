package dev.tapgrad.runtime.layers;

/**
 * A layer's kernel warm-up ({@link AbstractLayer#warmUp}): {@code key} names the configuration (the
 * kernels a layer runs depend on it, not on the layer's name), so that one warm-up per configuration
 * runs in a JVM however many graphs hold such a layer; each {@code pass} runs the small copy
 * forward and backward once.
 */
public record WarmUp(String key, Runnable pass) {}
