package dev.tapgrad.processor.model;

import dev.tapgrad.processor.ad.ir.Program;
import dev.tapgrad.processor.diag.Origin;
import java.util.List;

/**
 * One {@code @AuxLoss} method: its name, taps (bound to its parameters in order), weight, the
 * declared signature, and its body lowered to the IR ({@code null} when the body could not be read,
 * in which case the reader has already reported why).
 *
 * @param returnsTensor whether the declared return type is {@code Tensor}
 * @param isStatic whether the method is static (both are allowed)
 */
public record AuxLossSpec(
        String method,
        List<TapRef> taps,
        double weight,
        Origin weightOrigin,
        Origin tapOrigin,
        List<LossParameter> parameters,
        boolean returnsTensor,
        String returnTypeName,
        boolean isStatic,
        boolean isPrivate,
        Program body,
        Origin origin) {

    public AuxLossSpec {
        taps = List.copyOf(taps);
        parameters = List.copyOf(parameters);
    }
}
