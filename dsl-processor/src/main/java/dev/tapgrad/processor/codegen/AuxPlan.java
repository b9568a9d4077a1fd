package dev.tapgrad.processor.codegen;

import dev.tapgrad.processor.ad.Fusion;
import dev.tapgrad.processor.ir.Adjoint;
import dev.tapgrad.processor.ir.Program;
import dev.tapgrad.processor.model.AuxLossSpec;

/**
 * A loss method ready for code generation: its spec, its body as typed IR (every value carries its
 * shape), its reverse pass, and the penalty rewrite's outcome ({@code null} when the body is
 * emitted op by op).
 */
public record AuxPlan(AuxLossSpec spec, Program program, Adjoint adjoint, Fusion fusion) {}
