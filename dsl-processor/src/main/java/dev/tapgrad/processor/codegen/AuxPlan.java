package dev.tapgrad.processor.codegen;

import dev.tapgrad.processor.ad.Adjoint;
import dev.tapgrad.processor.ad.ir.Program;
import dev.tapgrad.processor.ad.ir.Value;
import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.Shape;
import java.util.Map;

/** An aux loss ready for code generation: its spec, lowered body, reverse pass and value shapes. */
public record AuxPlan(AuxLossSpec spec, Program program, Adjoint adjoint, Map<Value, Shape> shapes) {}
