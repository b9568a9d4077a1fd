package dev.tapgrad.reference;

import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Padding.*;
import static dev.tapgrad.runtime.Ops.*;

import dev.tapgrad.AuxLoss;
import dev.tapgrad.Layer;
import dev.tapgrad.Model;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.layers.Conv1D;
import dev.tapgrad.runtime.layers.Dense;
import dev.tapgrad.runtime.layers.GlobalMaxPool1D;
import dev.tapgrad.runtime.layers.Reshape;

/**
 * Reshape (with Keras's -1) → Conv1D (strided, SAME) → GlobalMaxPool1D → Dense, with an aux loss
 * on the pooled output; its reference values come from
 * {@code samples/src/test/python/make_case_references.py} (PyTorch), fixtures in {@code SeqConv/}.
 */
@Model(input = {24}, loss = MSE)
abstract class SeqConv {
    @Layer(shape = {8, -1}) Reshape seq;
    @Layer(filters = 4, kernel = 3, strides = 2, padding = SAME, activation = TANH) Conv1D conv;
    @Layer GlobalMaxPool1D pool;
    @Layer(units = 2) Dense out;

    @AuxLoss(tap = "pool", weight = 0.5)
    Tensor peak(Tensor pool) { return mean(square(pool)); }
}
