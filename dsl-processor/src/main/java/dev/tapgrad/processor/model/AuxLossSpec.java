package dev.tapgrad.processor.model;

import dev.tapgrad.processor.ir.Program;
import dev.tapgrad.processor.diag.Origin;
import java.util.List;

/**
 * One loss method — an {@code @AuxLoss}, or the {@code @Loss} method whose first two taps are the
 * labels and the last layer's output and whose weight is 1 —: its name, taps (bound to its parameters in order), weight, the
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
