/**
 * The built-in layer types, one {@link dev.tapgrad.processor.model.LayerType} per file: accepted
 * {@code @Layer} attributes, output-shape rule with its messages, parameters, and how generated code
 * builds and calls the runtime layer. {@link dev.tapgrad.processor.layers.LayerCatalogue} lists them;
 * checks and codegen only ever ask the descriptor.
 */
package dev.tapgrad.processor.layers;
