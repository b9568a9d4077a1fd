/**
 * Support for generated code and the runtime's own ops, not API: the {@code Workspace} that makes
 * a training step allocation-free, broadcasting and the shared checks of the ops, and the fused
 * penalty kernels. Everything here may change without notice between versions; user code should
 * not call it.
 *
 * <p>This package sits below the ops, the losses and the layers, which all use it; it uses only
 * {@code Tensor} and the kernels.
 */
package dev.tapgrad.runtime.internal.tensor;
