package dev.tapgrad.processor.check;

import dev.tapgrad.processor.diag.LossMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.TapRef;
import java.util.Optional;

/** DESIGN §2 row 1: every tap names a layer, or a parameter of a layer, with "did you mean". */
public final class TapCheck {
    private TapCheck() {}

    /** Reports each unknown tap at its annotation value. */
    public static Report run(ModelSpec spec) {
        Report r = new Report();
        for (AuxLossSpec aux : spec.lossMethods()) {
            if (aux.taps().isEmpty()) {
                r.error(Tag.UNKNOWN_TAP, aux.tapOrigin(), LossMessages.emptyTap());
            }
            for (TapRef tap : aux.taps()) {
                if (tap.isLabels()) {
                    continue;
                }
                Optional<LayerSpec> layer = spec.layer(tap.layer());
                if (layer.isEmpty()) {
                    r.error(Tag.UNKNOWN_TAP, tap.origin(),
                            LossMessages.unknownLayerTap(tap.text(), spec.simpleName(), spec.layerNames()));
                } else if (tap.isParameter() && !layer.get().kind().parameterNames().contains(tap.param())) {
                    r.error(Tag.UNKNOWN_TAP, tap.origin(),
                            LossMessages.unknownParamTap(tap.text(), tap.layer(), layer.get().kind().parameterNames()));
                }
            }
        }
        return r;
    }
}
