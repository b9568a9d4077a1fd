package dev.tapgrad.processor.check;

import dev.tapgrad.processor.diag.LossMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.LossParameter;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.TapRef;

/** DESIGN §2 row 2: an aux loss method takes one Tensor per tap and returns a Tensor. */
public final class AuxSignatureCheck {
    private AuxSignatureCheck() {}

    /** Reports parameter count and types, the return type, missing bodies and private methods. */
    public static Report run(ModelSpec spec) {
        Report r = new Report();
        for (AuxLossSpec aux : spec.lossMethods()) {
            if (aux != spec.lossMethod() && aux.parameters().size() != aux.taps().size() && !aux.taps().isEmpty()) {
                r.error(Tag.LOSS_SIGNATURE, aux.origin(), LossMessages.tapCountMismatch(aux.method(), aux.taps().size(),
                        aux.parameters().size(), aux.taps().stream().map(TapRef::text).toList()));
            }
            for (LossParameter p : aux.parameters()) {
                if (!p.isTensor()) {
                    r.error(Tag.LOSS_SIGNATURE, p.origin(), LossMessages.parameterNotTensor(aux.method(), p.name(), p.typeName()));
                }
            }
            if (aux != spec.lossMethod() && aux.parameters().size() == aux.taps().size()) {
                checkNames(spec, aux, r);
            }
            if (!aux.returnsTensor()) {
                r.error(Tag.LOSS_SIGNATURE, aux.origin(), LossMessages.returnNotTensor(aux.method(), aux.returnTypeName()));
            }
            if (aux.isPrivate()) {
                r.error(Tag.LOSS_SIGNATURE, aux.origin(), LossMessages.privateLoss(aux.method()));
            }
        }
        return r;
    }

    /**
     * Taps bind to parameters by position. A parameter named after a different layer than the one
     * it receives is almost always a mix-up: an error when that layer is another tap of the same
     * loss (the order is swapped), a warning otherwise.
     */
    private static void checkNames(ModelSpec spec, AuxLossSpec aux, Report r) {
        for (int i = 0; i < aux.taps().size(); i++) {
            LossParameter p = aux.parameters().get(i);
            TapRef bound = aux.taps().get(i);
            if (p.name().equals(bound.layer()) || spec.layer(p.name()).isEmpty() || spec.layer(bound.layer()).isEmpty()) {
                // the same name, no layer of that name, or an unknown tap (the tap check reports that)
                continue;
            }
            boolean swapped = aux.taps().stream().anyMatch(t -> t != bound && !t.isParameter() && t.layer().equals(p.name()));
            if (swapped) {
                r.error(Tag.LOSS_SIGNATURE, p.origin(), LossMessages.tapOrderSwapped(aux.method(), p.name(), i, bound.text()));
            } else {
                r.warning(Tag.LOSS_SIGNATURE, p.origin(), LossMessages.parameterNamedLikeOtherLayer(aux.method(), p.name(), bound.text()));
            }
        }
    }
}
