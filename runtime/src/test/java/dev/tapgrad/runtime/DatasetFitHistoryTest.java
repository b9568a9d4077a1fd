package dev.tapgrad.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.optim.Adam;
import dev.tapgrad.runtime.optim.Sgd;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetFitHistoryTest {
    @Test
    void oneHotPutsAOneInEachLabelsColumn() {
        Tensor t = Dataset.oneHot(new int[] {2, 0, 1}, 3);
        assertArrayEquals(new int[] {3, 3}, t.shape());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, t.toArray());
    }

    @Test
    void oneHotNamesTheBadLabel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.oneHot(new int[] {0, 1, 10}, 10));
        assertEquals("oneHot: labels[2] = 10 is outside [0, 10); with 10 classes labels run from 0 to 9", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dataset.oneHot(new int[] {-1}, 10));
    }

    @Test
    void datasetSharesItsTensorsAndChecksCounts() {
        Tensor x = Tensor.zeros(4, 2);
        Tensor y = Tensor.zeros(4, 1);
        Dataset d = Dataset.of(x, y);
        assertEquals(4, d.size());
        assertSame(x, d.x());
        assertSame(y, d.y());
        TapgradDataException e = assertThrows(TapgradDataException.class, () -> Dataset.of(x, Tensor.zeros(3, 1)));
        assertEquals("Dataset.of: x has 4 examples (shape (4, 2)) but y has 3 (shape (3, 1)); both need the same first"
                + " dimension", e.getMessage());
        assertThrows(TapgradDataException.class, () -> Dataset.of(Tensor.scalar(1), y));
    }

    @Test
    void fitDefaultsAndImmutability() {
        Fit base = Fit.epochs(3);
        assertEquals(3, base.epochs());
        assertEquals(32, base.batchSize());
        assertTrue(base.optimizer() instanceof Adam);
        assertEquals(1e-3, ((Adam) base.optimizer()).lr());
        assertFalse(base.validation().isPresent());
        assertEquals(0L, base.seed());
        assertTrue(base.verbose());

        Dataset val = Dataset.of(Tensor.zeros(1, 1), Tensor.zeros(1, 1));
        Fit custom = base.batchSize(8).optimizer(Sgd.lr(0.1)).validation(val).seed(5).verbose(false);
        assertEquals(8, custom.batchSize());
        assertSame(val, custom.validation().get());
        assertEquals(5, custom.seed());
        assertFalse(custom.verbose());
        assertEquals(32, base.batchSize(), "setters return a new Fit");
    }

    @Test
    void fitRejectsBadCounts() {
        assertEquals("Fit.epochs: need at least 1 epoch, got 0",
                assertThrows(IllegalArgumentException.class, () -> Fit.epochs(0)).getMessage());
        assertEquals("Fit.batchSize: need at least 1 example per batch, got -2",
                assertThrows(IllegalArgumentException.class, () -> Fit.epochs(1).batchSize(-2)).getMessage());
    }

    @Test
    void historyKeepsOneValuePerEpochInKeyOrder() {
        Map<String, Double> e1 = new LinkedHashMap<>();
        e1.put("loss", 0.5);
        e1.put("accuracy", 0.7);
        Map<String, Double> e2 = new LinkedHashMap<>();
        e2.put("loss", 0.25);
        e2.put("accuracy", 0.9);
        History h = History.of(List.of(e1, e2));
        assertEquals(List.of("loss", "accuracy"), h.keys());
        assertEquals(List.of(0.5, 0.25), h.get("loss"));
        assertEquals(0.9, h.last("accuracy"));
        assertEquals(2, h.epochs());
        assertEquals("History has no key 'val_loss'; its keys are [loss, accuracy]",
                assertThrows(IllegalArgumentException.class, () -> h.get("val_loss")).getMessage());
        assertEquals("History (2 epochs)\n"
                + " epoch        loss    accuracy\n"
                + "     1      0.5000      0.7000\n"
                + "     2      0.2500      0.9000", h.toString());
        assertThrows(UnsupportedOperationException.class, () -> h.get("loss").add(1.0));
    }
}
