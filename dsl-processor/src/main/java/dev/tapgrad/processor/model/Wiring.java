package dev.tapgrad.processor.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the layers connect: each layer's inputs by name ({@link LayerSpec#MODEL_INPUT} for the
 * model's input), the order they run in (every layer after its inputs, otherwise declaration
 * order), and which layers a gradient reaches at all (the output, every tapped layer, and
 * everything they read); backward code is emitted for those only.
 */
public record Wiring(List<String> order, Map<String, List<String>> inputsOf, Set<String> needsGradient, String output) {
    public Wiring {
        order = List.copyOf(order);
        inputsOf = Map.copyOf(inputsOf);
        needsGradient = Set.copyOf(needsGradient);
    }
}
