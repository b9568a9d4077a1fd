package dev.tapgrad.processor.check;

import dev.tapgrad.processor.diag.LossMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.ModelSpec;

/** DESIGN §2 row 10: an auxiliary loss weight must be finite and greater than zero. */
public final class WeightCheck {
    private WeightCheck() {}

    /** Reports each bad weight at its annotation value. */
    public static Report run(ModelSpec spec) {
        Report r = new Report();
        for (AuxLossSpec aux : spec.auxLosses()) {
            double w = aux.weight();
            if (!(w > 0) || Double.isInfinite(w)) {
                r.error(Tag.LOSS_WEIGHT, aux.weightOrigin(), LossMessages.badWeight(aux.method(), w));
            }
        }
        return r;
    }
}
