package dev.tapgrad.processor.diag;

import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.TapRef;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The compile-time summary printed with {@code -Atapgrad.report=true}: each layer with its output
 * shape and parameter count (like Keras's {@code model.summary()}), and for each loss the
 * parameters its gradient reaches, so a user can see that an aux loss touches what they meant.
 */
public final class ModelSummary {
    private ModelSummary() {}

    /** The summary as text, one line per layer and per loss. */
    public static String of(ModelSpec spec, GraphShapes shapes) {
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
        sb.append("  main loss ").append(spec.mainTermName()).append(" reaches every parameter\n");
        for (AuxLossSpec aux : spec.lossMethods()) {
            if (aux == spec.lossMethod()) {
                continue;
            }
            sb.append("  aux loss ").append(aux.method()).append(" (weight ").append(aux.weight()).append(", tap ")
                    .append(String.join(", ", aux.taps().stream().map(TapRef::text).toList())).append(") reaches ")
                    .append(String.join(", ", reached(spec, shapes, aux.taps()))).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    /** The parameters behind the taps: a parameter tap itself, an activation tap's layer and all it reads. */
    static Set<String> reached(ModelSpec spec, GraphShapes shapes, List<TapRef> taps) {
        Set<String> layers = new LinkedHashSet<>();
        Set<String> params = new LinkedHashSet<>();
        for (TapRef tap : taps) {
            if (tap.isParameter()) {
                params.add(tap.text());
                continue;
            }
            Deque<String> todo = new ArrayDeque<>(List.of(tap.layer()));
            while (!todo.isEmpty()) {
                String l = todo.pop();
                if (shapes.wiring().inputsOf().containsKey(l) && layers.add(l)) {
                    todo.addAll(shapes.wiring().inputsOf().get(l));
                }
            }
        }
        for (String name : shapes.wiring().order()) {
            if (layers.contains(name)) {
                LayerSpec l = spec.layer(name).orElseThrow();
                l.kind().parameterNames().forEach(p -> params.add(l.parameterName(p)));
            }
        }
        return params.isEmpty() ? Set.of("no parameter") : params;
    }

}
