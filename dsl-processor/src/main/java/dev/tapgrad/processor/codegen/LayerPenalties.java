package dev.tapgrad.processor.codegen;

import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.TapRef;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The aux losses a layer computes itself: one that is exactly an L1 or L2 {@link Penalty} on a
 * Conv2D layer's output becomes {@code conv.penalize(OutputPenalty.X, weight)} at construction,
 * and its term is read from the layer after forward ({@code conv.penalty()}); the layer adds its
 * gradient inside its own backward pass, where the direct kernel needs no passes of its own over
 * the output (the sparse-activation case: {@code mean(abs(conv1))}). At most one per layer; the
 * others are emitted as usual.
 */
final class LayerPenalties {
    private final Map<AuxPlan, String> layerOf = new IdentityHashMap<>();
    private final Map<AuxPlan, Penalty> penaltyOf = new IdentityHashMap<>();

    LayerPenalties(ModelSpec spec, List<AuxPlan> aux) {
        Set<String> taken = new HashSet<>();
        for (AuxPlan p : aux) {
            Penalty penalty = Penalty.match(p.program());
            if (penalty == null) {
                continue;
            }
            TapRef tap = p.spec().taps().get(p.program().inputs().indexOf(penalty.input()));
            if (tap.isLabels() || tap.isParameter()) {
                continue;
            }
            boolean able = spec.layer(tap.layer()).map(l -> l.kind().takesOutputPenalty()).orElse(false);
            if (able && taken.add(tap.layer())) {
                layerOf.put(p, tap.layer());
                penaltyOf.put(p, penalty);
            }
        }
    }

    /** The layer that computes {@code p}, or null when it is emitted as a method of its own. */
    String layer(AuxPlan p) {
        return layerOf.get(p);
    }

    /** The {@code OutputPenalty} constant of a fused aux loss, e.g. {@code MEAN_ABS}. */
    String constant(AuxPlan p) {
        return penaltyOf.get(p).constant();
    }

    /** The body as the user wrote it, for comments. */
    String text(AuxPlan p) {
        return penaltyOf.get(p).text();
    }
}
