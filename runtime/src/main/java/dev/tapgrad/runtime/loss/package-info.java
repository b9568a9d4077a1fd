/**
 * One value-and-gradient kernel per loss, shared by the built-in main losses
 * ({@code dev.tapgrad.LossKind}) and the loss ops in bodies ({@code dev.tapgrad.runtime.ops.Losses}),
 * so the two cannot disagree.
 */
package dev.tapgrad.runtime.loss;
