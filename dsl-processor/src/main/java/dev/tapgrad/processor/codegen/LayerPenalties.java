package dev.tapgrad.processor.codegen;

import com.palantir.javapoet.ClassName;
import dev.tapgrad.processor.ad.Fusion;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.TapRef;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The aux losses a layer computes itself: one that the penalty rewrite fused ({@link Fusion}) on
 * the output of a layer that can take a penalty ({@code LayerType.takesOutputPenalty()}: Conv2D,
 * Dense, BatchNorm) becomes {@code layer.penalize(OutputPenalty.X, weight)} at construction, and
 * its term is read from the layer after forward ({@code layer.penalty()}); the layer adds its
 * gradient inside its own backward pass, where its kernels need no passes of their own over the
 * output (Conv2D's direct kernel, Dense's relu derivative, BatchNorm's backward passes: the
 * sparse-activation case {@code mean(abs(conv1))}, an activity regularizer
 * {@code mean(square(hidden))}). At most one per layer; the others are emitted as usual.
 */
final class LayerPenalties {
    private final Map<AuxPlan, String> layerOf = new IdentityHashMap<>();
    private final Map<AuxPlan, Fusion> penaltyOf = new IdentityHashMap<>();

    LayerPenalties(ModelSpec spec, List<AuxPlan> aux) {
        Set<String> taken = new HashSet<>();
        for (AuxPlan p : aux) {
            Fusion fusion = p.fusion();
            if (fusion == null) {
                continue;
            }
            TapRef tap = p.spec().taps().get(p.program().inputs().indexOf(fusion.input()));
            if (tap.isLabels() || tap.isParameter()) {
                continue;
            }
            boolean able = spec.layer(tap.layer()).map(l -> l.kind().takesOutputPenalty()).orElse(false);
            if (able && taken.add(tap.layer())) {
                layerOf.put(p, tap.layer());
                penaltyOf.put(p, fusion);
            }
        }
    }

    /** The layer that computes {@code p}, or null when it is emitted as a method of its own. */
    String layer(AuxPlan p) {
        return layerOf.get(p);
    }

    /** The {@code OutputPenalty} constant of a fused aux loss, e.g. {@code MEAN_ABS}. */
    String constant(AuxPlan p) {
        return penaltyOf.get(p).rule().constant();
    }

    /** The enum the constant belongs to, as the runtime declares it. */
    ClassName constantClass(AuxPlan p) {
        return ClassName.bestGuess(penaltyOf.get(p).rule().constantClass());
    }

    /** The body as the user wrote it, for comments. */
    String text(AuxPlan p) {
        return penaltyOf.get(p).text();
    }
}
