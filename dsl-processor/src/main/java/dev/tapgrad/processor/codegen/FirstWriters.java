package dev.tapgrad.processor.codegen;

import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which contribution to each layer-output gradient buffer overwrites it, replayed in the order the
 * generated backward pass runs them (the main loss, then each layer in reverse with the losses
 * placed before it): the first contribution to a buffer in a step writes it when its writer can
 * (the built-in main loss, a layer whose type {@code writesInputGradient}, an aux loss's reverse
 * pass emitted op by op), and every later one adds. A buffer whose first contribution can only add
 * (a merge, a custom layer, a fused penalty kernel), or that a backward reads before anything
 * reached it, is zeroed at the start of the pass, as every buffer was before (issue 17: the zeroing
 * was a pass over every activation gradient per step, and the first writer's a read-add pass).
 *
 * <p>Buffers are tracked by the layer that owns them: a view's gradient (Flatten's, Reshape's) is
 * its input's buffer. Parameters' gradients are not tracked here; the steps zero them.
 */
final class FirstWriters {
    private final ModelSpec spec;
    private final LayerEmitter layers;
    private final Set<String> written = new HashSet<>();
    /** Owner buffer → why it is zeroed, in the order the need arose. */
    private final Map<String, String> zeroed = new LinkedHashMap<>();

    FirstWriters(ModelSpec spec, LayerEmitter layers) {
        this.spec = spec;
        this.layers = layers;
    }

    /** The layer whose gradient buffer holds {@code layer}'s output gradient: itself, or what its view views. */
    String owner(String layer) {
        String at = layer;
        for (String in = viewed(at); in != null; in = viewed(at)) {
            at = in;
        }
        return at;
    }

    private String viewed(String layer) {
        return spec.layer(layer).map(layers::viewedInput).orElse(null);
    }

    /**
     * A contribution by {@code who} to {@code layer}'s output gradient; returns whether it writes
     * the buffer (the first contribution, by a writer that can), otherwise it adds (and if it is the
     * first, the buffer is zeroed at the start).
     */
    boolean contribute(String layer, boolean canWrite, String who) {
        String o = owner(layer);
        if (!written.add(o)) {
            return false;
        }
        if (!canWrite) {
            zeroed.putIfAbsent(o, who + " adds into it first");
        }
        return canWrite;
    }

    /** {@code who} reads {@code layer}'s output gradient: if nothing has reached the buffer yet, it is zeroed. */
    void read(String layer, String who) {
        String o = owner(layer);
        if (written.add(o)) {
            zeroed.putIfAbsent(o, who + " reads it before any loss reached it");
        }
    }

    /** The buffers (owner layers, in model order) zeroed at the start of the backward pass, with why. */
    List<Map.Entry<String, String>> zeroed() {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (LayerSpec l : spec.layers()) {
            if (zeroed.containsKey(l.name())) {
                out.add(Map.entry(l.name(), zeroed.get(l.name())));
            }
        }
        return out;
    }
}
