package dev.tapgrad.processor.diag;

import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.TapRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compile-time summary printed with {@code -Atapgrad.report=true}: each layer with its output
 * shape and parameter count (like Keras's {@code model.summary()}), and for each loss, the main
 * loss included, the parameters its gradient reaches, computed from the wiring and each loss's
 * reverse pass: a loss reaches a layer's parameters when its gradient flows into that layer (the
 * main loss through the output layer, a loss method through the taps its reverse pass
 * differentiates), and a parameter tap only when the reverse pass reaches it.
 */
public final class ModelSummary {
    private ModelSummary() {}

    /**
     * The summary as text, one line per layer and per loss.
     *
     * @param tapsReached for each loss method, the indices of its taps that its reverse pass gives a
     *     gradient (a body may ignore a tap, or read it only through ops without a gradient)
     */
    public static String of(ModelSpec spec, GraphShapes shapes, Map<AuxLossSpec, Set<Integer>> tapsReached) {
        StringBuilder sb = new StringBuilder("Tapgrad summary of ").append(spec.simpleName()).append(" (input ")
                .append(spec.inputShape()).append(")\n");
        long total = 0;
        for (String name : shapes.wiring().order()) {
            LayerSpec l = spec.layer(name).orElseThrow();
            long count = 0;
            for (String p : l.kind().parameterNames()) {
                count += shapes.parameters().get(l.parameterName(p)).exampleSize();
            }
            total += count;
            sb.append(String.format("  %-14s %-12s %-20s %,d params%n", name, l.kind().simpleName(),
                    shapes.outputs().get(name), count));
        }
        sb.append(String.format("  total %,d trainable parameters%n", total));
        Set<String> all = reached(spec, shapes, Set.copyOf(shapes.wiring().order()), Set.of());
        AuxLossSpec main = spec.lossMethod();
        if (main == null) {
            // a built-in loss reads the output only: its gradient enters there and flows to what the output reads
            Set<String> params = reached(spec, shapes, ancestors(shapes, List.of(shapes.lastLayer())), Set.of());
            sb.append("  main loss ").append(spec.mainTermName()).append(spec.fromLogits() ? " (on logits)" : "")
                    .append(' ').append(reaches(params, all)).append('\n');
        } else {
            sb.append("  main loss ").append(main.method()).append(' ')
                    .append(reaches(reached(spec, shapes, main, tapsReached.get(main)), all)).append('\n');
        }
        for (AuxLossSpec aux : spec.lossMethods()) {
            if (aux == main) {
                continue;
            }
            sb.append("  aux loss ").append(aux.method()).append(" (weight ").append(aux.weight()).append(", tap ")
                    .append(String.join(", ", aux.taps().stream().map(TapRef::text).toList())).append(") ")
                    .append(reaches(reached(spec, shapes, aux, tapsReached.get(aux)), all)).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    private static String reaches(Set<String> params, Set<String> all) {
        if (params.isEmpty()) {
            return "reaches no parameter";
        }
        if (params.equals(all)) {
            return "reaches every parameter";
        }
        return "reaches " + String.join(", ", params);
    }

    /** The parameters a loss's gradient reaches through the taps its reverse pass differentiates. */
    private static Set<String> reached(ModelSpec spec, GraphShapes shapes, AuxLossSpec loss, Set<Integer> taps) {
        List<String> layers = new ArrayList<>();
        Set<String> params = new LinkedHashSet<>();
        for (int i : taps) {
            TapRef tap = loss.taps().get(i);
            if (tap.isParameter()) {
                params.add(tap.text());
            } else if (!tap.isLabels()) {
                layers.add(tap.layer());
            }
        }
        return reached(spec, shapes, ancestors(shapes, layers), params);
    }

    /** The layers and everything they read, transitively. */
    private static Set<String> ancestors(GraphShapes shapes, List<String> from) {
        Set<String> layers = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(from);
        while (!todo.isEmpty()) {
            String l = todo.pop();
            if (shapes.wiring().inputsOf().containsKey(l) && layers.add(l)) {
                todo.addAll(shapes.wiring().inputsOf().get(l));
            }
        }
        return layers;
    }

    /** The parameters of {@code layers} and the parameter taps {@code params}, in layer order. */
    private static Set<String> reached(ModelSpec spec, GraphShapes shapes, Set<String> layers, Set<String> params) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : shapes.wiring().order()) {
            LayerSpec l = spec.layer(name).orElseThrow();
            for (String p : l.kind().parameterNames()) {
                if (layers.contains(name) || params.contains(l.parameterName(p))) {
                    out.add(l.parameterName(p));
                }
            }
        }
        return out;
    }
}
