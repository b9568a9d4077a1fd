/**
 * Support for generated code, not API: what a generated {@code <Model>Graph} hands its common part
 * to ({@link dev.tapgrad.runtime.internal.GraphSteps}, configured by a
 * {@link dev.tapgrad.runtime.internal.GraphSpec}) and the main-loss entry it calls
 * ({@link dev.tapgrad.runtime.internal.MainLoss}). Everything here may change without notice
 * between versions; user code should not call it.
 *
 * <p>This package sits at the top of the runtime: it uses the training loop, the layers, the
 * losses and checkpoints, and nothing below depends on it.
 */
package dev.tapgrad.runtime.internal;
