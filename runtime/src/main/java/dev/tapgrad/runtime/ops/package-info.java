/**
 * The differentiable ops, grouped by kind, each with its derivative rule ({@code @Differentiable}
 * naming its adjoints) right beside it. Loss bodies reach them through the facade
 * {@link dev.tapgrad.runtime.Ops}; calling a class here directly is the same op.
 */
package dev.tapgrad.runtime.ops;
