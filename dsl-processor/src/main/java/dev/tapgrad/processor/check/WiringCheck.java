package dev.tapgrad.processor.check;

import dev.tapgrad.processor.diag.LayerMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Suggest;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.TapRef;
import dev.tapgrad.processor.model.Wiring;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DESIGN §2 row 7: resolves {@code @Layer(inputs = ...)} into a {@link Wiring}. Reports unknown
 * inputs (with "did you mean"), input counts that do not fit the layer, cycles, a layer named
 * like the model input, and warns about layers whose output nothing uses.
 */
public final class WiringCheck {
    private WiringCheck() {}

    /** The wiring, or null when it has errors (then the report says why). */
    public static Wiring run(ModelSpec spec, Report r) {
        List<LayerSpec> layers = spec.layers();
        if (layers.isEmpty()) {
            return null;
        }
        List<String> names = spec.layerNames();
        List<String> known = new ArrayList<>(names);
        known.add(LayerSpec.MODEL_INPUT);
        Map<String, List<String>> inputsOf = new HashMap<>();
        boolean ok = true;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            String conflict = dev.tapgrad.processor.codegen.Names.conflict(l.name(), spec);
            if (conflict != null) {
                r.error(Tag.WIRING, l.origin(), LayerMessages.reservedLayerName(l.name(), conflict));
                ok = false;
            }
            List<String> in = l.inputs().isEmpty()
                    ? List.of(i == 0 ? LayerSpec.MODEL_INPUT : layers.get(i - 1).name())
                    : l.inputs();
            for (int k = 0; k < l.inputs().size(); k++) {
                String name = l.inputs().get(k);
                if (!known.contains(name) || name.equals(l.name())) {
                    r.error(Tag.WIRING, l.inputOrigins().get(k), LayerMessages.unknownInput(name, l.name(), spec.simpleName(),
                            names, Suggest.didYouMean(name, known)));
                    ok = false;
                }
            }
            if (l.kind().merges() && in.size() < 2) {
                r.error(Tag.WIRING, l.origin(), LayerMessages.mergeNeedsInputs(l.kind().simpleName(), l.name()));
                ok = false;
            } else if (!l.kind().merges() && in.size() != 1) {
                r.error(Tag.WIRING, l.inputOrigins().isEmpty() ? l.origin() : l.inputOrigins().get(1),
                        LayerMessages.tooManyInputs(l.kind().simpleName(), l.name(), in.size()));
                ok = false;
            }
            inputsOf.put(l.name(), in);
        }
        if (!ok) {
            return null;
        }
        List<String> order = order(spec, inputsOf, r);
        if (order == null) {
            return null;
        }
        String output = names.get(names.size() - 1);
        Set<String> needed = ancestors(output, inputsOf);
        for (AuxLossSpec loss : spec.lossMethods()) {
            for (TapRef tap : loss.taps()) {
                if (!tap.isLabels() && !tap.isParameter() && inputsOf.containsKey(tap.layer())) {
                    needed.addAll(ancestors(tap.layer(), inputsOf));
                }
            }
        }
        Set<String> read = new HashSet<>();
        inputsOf.values().forEach(read::addAll);
        for (LayerSpec l : layers) {
            if (!l.name().equals(output) && !read.contains(l.name()) && !needed.contains(l.name())) {
                r.warning(Tag.WIRING, l.origin(), LayerMessages.unreachableLayer(l.name(), output));
            }
        }
        return new Wiring(order, inputsOf, needed, output);
    }

    /** Kahn's algorithm, taking the first ready layer in declaration order; null on a cycle (reported). */
    private static List<String> order(ModelSpec spec, Map<String, List<String>> inputsOf, Report r) {
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        done.add(LayerSpec.MODEL_INPUT);
        List<String> pending = new ArrayList<>(spec.layerNames());
        while (!pending.isEmpty()) {
            String next = null;
            for (String l : pending) {
                if (done.containsAll(inputsOf.get(l))) {
                    next = l;
                    break;
                }
            }
            if (next == null) {
                List<String> cycle = cycle(pending.get(0), inputsOf, new HashSet<>(pending));
                LayerSpec at = spec.layer(cycle.get(0)).orElseThrow();
                r.error(Tag.WIRING, at.inputOrigins().isEmpty() ? at.origin() : at.inputOrigins().get(0),
                        LayerMessages.cycle(cycle));
                return null;
            }
            order.add(next);
            done.add(next);
            pending.remove(next);
        }
        return order;
    }

    /** A cycle among the layers that could not be ordered, as a → b → … → a. */
    private static List<String> cycle(String start, Map<String, List<String>> inputsOf, Set<String> stuck) {
        List<String> path = new ArrayList<>();
        String at = start;
        while (!path.contains(at)) {
            path.add(at);
            String prev = at;
            at = inputsOf.get(at).stream().filter(stuck::contains).findFirst().orElse(prev);
        }
        List<String> loop = new ArrayList<>(path.subList(path.indexOf(at), path.size()));
        java.util.Collections.reverse(loop);
        loop.add(loop.get(0));
        return loop;
    }

    private static Set<String> ancestors(String layer, Map<String, List<String>> inputsOf) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(layer));
        while (!todo.isEmpty()) {
            String l = todo.pop();
            if (seen.add(l) && inputsOf.containsKey(l)) {
                todo.addAll(inputsOf.get(l));
            }
        }
        seen.remove(LayerSpec.MODEL_INPUT);
        return seen;
    }
}
