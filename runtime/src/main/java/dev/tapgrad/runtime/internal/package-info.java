/**
 * Support for generated code, not API: what a generated {@code <Model>Graph} and the runtime's own
 * ops call (the workspace that makes a step allocation-free, broadcasting, fused penalties, the
 * main-loss entry, the contract with the training loop). Everything here may change without
 * notice between versions; user code should not call it.
 */
package dev.tapgrad.runtime.internal;
