package dev.tapgrad.runtime.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 3: the warm-up copies' shapes and periods. A Dense copy keeps every width up to 96
 * and maps a wider one onto 96 plus its remainder modulo 48 (the widest GEMM tile's columns), so
 * that its products run the same edge tiles as the layer's; a period below 1 would never run.
 */
class WarmUpTest {
    @Test
    void denseCopiesKeepNarrowWidthsAndTheRemainderOfWideOnes() {
        assertEquals(10, Dense.warmUpWidth(10));
        assertEquals(96, Dense.warmUpWidth(96));
        // The flagship's head: 21632 = 450 · 48 + 32 inputs, so a 48-wide tile edge of 32 columns.
        assertEquals(128, Dense.warmUpWidth(21632));
        assertEquals(96 + 47, Dense.warmUpWidth(48 * 20 + 47));
        for (int w = 97; w < 5000; w++) {
            int c = Dense.warmUpWidth(w);
            assertTrue(c >= 96 && c < 144, "width " + w + " became " + c);
            assertEquals(w % 48, c % 48, "width " + w);
        }
    }

    @Test
    void theWarmUpOfADenseLayerRunsEveryFourthRound() {
        Dense dense = new Dense("d", 21632, 10, dev.tapgrad.Activation.SOFTMAX);
        WarmUp w = dense.warmUp();
        assertEquals(4, w.period());
        assertEquals("Dense 128>10 SOFTMAX", w.key());
        w.pass().run(); // a copy of 128 inputs runs forward and backward
    }

    @Test
    void aPeriodBelowOneIsRejectedAndTheShortFormRunsEveryRound() {
        Runnable nothing = () -> { };
        assertEquals(1, new WarmUp("k", nothing).period());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new WarmUp("k", nothing, 0));
        assertTrue(e.getMessage().contains("period must be at least 1"), e.getMessage());
    }
}
