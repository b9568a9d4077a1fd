package dev.tapgrad.processor.codegen;

import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.TapRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which layers feed the normalization after them ({@code producer.feedBatchNorm(next)} at
 * construction): the producer's type {@link dev.tapgrad.processor.model.LayerType#feedsNormalization
 * feeds normalization}, the next layer's type {@link dev.tapgrad.processor.model.LayerType#takesFeed
 * takes a feed}, the next layer reads the producer's output and nothing else does, and no loss taps
 * that output. Then the next layer's dL/dx is the producer's whole dL/dout, so the producer may write
 * it in its own backward loop, and its statistics may be summed in the producer's forward loop.
 */
final class NormalizationFeeds {
    private NormalizationFeeds() {}

    /** Producer → the layer it feeds, in declaration order; {@code losses}: every loss method's plan. */
    static Map<LayerSpec, LayerSpec> plan(ModelSpec spec, GraphShapes shapes, List<AuxPlan> losses) {
        Map<LayerSpec, LayerSpec> feeds = new LinkedHashMap<>();
        for (LayerSpec producer : spec.layers()) {
            if (!producer.kind().feedsNormalization() || producer.name().equals(shapes.wiring().output())
                    || tapped(producer, losses)) {
                continue;
            }
            List<LayerSpec> readers = readers(spec, shapes, producer);
            if (readers.size() == 1 && readers.get(0).kind().takesFeed()
                    && shapes.wiring().inputsOf().get(readers.get(0).name()).size() == 1) {
                feeds.put(producer, readers.get(0));
            }
        }
        return feeds;
    }

    private static List<LayerSpec> readers(ModelSpec spec, GraphShapes shapes, LayerSpec producer) {
        List<LayerSpec> readers = new ArrayList<>();
        for (LayerSpec l : spec.layers()) {
            List<String> inputs = shapes.wiring().inputsOf().get(l.name());
            if (inputs != null && inputs.contains(producer.name())) {
                readers.add(l);
            }
        }
        return readers;
    }

    /** Whether a loss reads the producer's output (a tap on one of its parameters does not count). */
    private static boolean tapped(LayerSpec producer, List<AuxPlan> losses) {
        return losses.stream().flatMap(p -> p.spec().taps().stream())
                .anyMatch((TapRef t) -> !t.isParameter() && !t.isLabels() && producer.name().equals(t.layer()));
    }
}
