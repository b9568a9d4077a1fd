package dev.tapgrad.processor;

import org.junit.jupiter.api.Test;

/**
 * DESIGN §2 row 11 for Embedding and Gru, with file and line: an Embedding without {@code
 * vocabulary}, a zero vocabulary, and an Embedding given more than one value per step.
 */
class TextLayerErrorsTest {
    @Test
    void embeddingWithoutVocabulary() {
        Negative.compile("EmbeddingWithoutVocabulary", 1).errorAt(12, 34,
                "[Tapgrad/LayerAttribute] Embedding tokens needs vocabulary, e.g. @Layer(vocabulary = 1000, units = 32)");
    }

    @Test
    void embeddingOfSeveralValuesPerStep() {
        Negative.compile("GruOnIds", 1).errorAt(12, 52, "[Tapgrad/LayerShape] Embedding tokens needs ids (batch, steps), but the"
                + " input gives (B, 20, 3): declare @Model(input = {steps}) with one id per step, e.g. {100}");
    }
}
