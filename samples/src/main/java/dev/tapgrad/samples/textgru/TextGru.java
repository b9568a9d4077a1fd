package dev.tapgrad.samples.textgru;

import dev.tapgrad.*;
import dev.tapgrad.runtime.layers.*;
import static dev.tapgrad.Activation.*;
import static dev.tapgrad.LossKind.*;
import static dev.tapgrad.Metric.*;

/**
 * A text classifier as Keras writes one: token ids → Embedding → Gru → one sigmoid unit, trained
 * with binary crossentropy. The processor generates {@code TextGruGraph} from this class.
 */
@Model(input = {TextGruSample.STEPS}, loss = BINARY_CROSSENTROPY, metrics = ACCURACY)
public abstract class TextGru {
    @Layer(vocabulary = TextGruSample.VOCABULARY, units = 16) Embedding tokens;
    @Layer(units = 32) Gru gru;
    @Layer(units = 1, activation = SIGMOID) Dense out;
}
