package dev.tapgrad.processor.model;

import dev.tapgrad.processor.diag.Origin;

/** A parameter of a loss method as declared: its name, whether its type is Tensor, and position. */
public record LossParameter(String name, boolean isTensor, String typeName, Origin origin) {}
