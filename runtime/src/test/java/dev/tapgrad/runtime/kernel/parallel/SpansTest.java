package dev.tapgrad.runtime.kernel.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The partition covers every index of every array once, in order, and a run visits every span once. */
class SpansTest {
    @Test
    void spansCoverEveryIndexOnceInOrder() {
        int[] lengths = {0, 1, Spans.GRAIN, Spans.GRAIN + 1, 3 * Spans.GRAIN - 7, 0, 5};
        Spans spans = new Spans(lengths);
        int s = 0;
        for (int a = 0; a < lengths.length; a++) {
            int next = 0;
            while (next < lengths[a]) {
                assertEquals(a, spans.array(s), "span " + s);
                assertEquals(next, spans.from(s), "span " + s);
                assertTrue(spans.to(s) > spans.from(s) && spans.to(s) - spans.from(s) <= Spans.GRAIN, "span " + s);
                next = spans.to(s);
                s++;
            }
            assertEquals(lengths[a], next, "array " + a);
        }
        assertEquals(s, spans.count());
        assertEquals(1 + 1 + 2 + 3 + 1, spans.count());
    }

    @RepeatedTest(10)
    void runVisitsEverySpanOnceWhetherSharedOrNot() {
        for (int n : new int[] {10, (int) Spans.PARALLEL_MIN + 3}) {
            Spans spans = new Spans(new int[] {n, n / 2, 1});
            AtomicIntegerArray runs = new AtomicIntegerArray(spans.count());
            spans.run((first, end, slot) -> {
                for (int i = first; i < end; i++) {
                    runs.incrementAndGet(i);
                }
            });
            for (int i = 0; i < spans.count(); i++) {
                assertEquals(1, runs.get(i), n + ": span " + i);
            }
        }
    }
}
