package dev.tapgrad.runtime.internal.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.runtime.Ops;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.ops.Arithmetic;
import org.junit.jupiter.api.Test;

/** The step-scoped recycling of op results behind the allocation-free training step. */
class WorkspaceTest {
    private static Tensor x() {
        return Tensor.of(new float[] {-1, 2, -3, 4, 0, -6}, 2, 3);
    }

    @Test
    void eachStepGetsThePreviousStepsTensorsInRequestOrder() {
        Workspace w = new Workspace();
        w.open();
        Tensor a1 = Ops.abs(x());
        Tensor s1 = Ops.sum(a1);
        w.close();
        w.open();
        Tensor a2 = Ops.abs(x());
        Tensor s2 = Ops.sum(a2);
        w.close();
        assertSame(a1, a2);
        assertSame(s1, s2);
        // Recycled tensors hold this step's values, computed afresh.
        assertArrayEquals(new float[] {1, 2, 3, 4, 0, 6}, a2.toArray());
        assertEquals(16f, s2.item());
    }

    @Test
    void outsideAnOpenWorkspaceOpsAllocateFreshTensors() {
        Workspace w = new Workspace();
        w.open();
        Tensor inside = Ops.abs(x());
        w.close();
        Tensor after1 = Ops.abs(x());
        Tensor after2 = Ops.abs(x());
        assertNotSame(inside, after1);
        assertNotSame(after1, after2);
    }

    @Test
    void aDifferentShapeAtTheSamePositionGetsANewTensor() {
        Workspace w = new Workspace();
        w.open();
        Tensor first = Ops.abs(x());
        w.close();
        w.open();
        Tensor other = Ops.abs(Tensor.of(new float[] {-1, 5}, 2));
        w.close();
        assertNotSame(first, other);
        assertArrayEquals(new int[] {2}, other.shape());
        assertArrayEquals(new float[] {1, 5}, other.toArray());
    }

    @Test
    void zeroFilledResultsAreZeroedAgainWhenRecycled() {
        // sumAdjoint's and meanAdjoint's results are filled; broadcast reductions start from zeros.
        Workspace w = new Workspace();
        Tensor g = Tensor.of(new float[] {1, 1, 1, 1, 1, 1}, 2, 3);
        for (int step = 0; step < 3; step++) {
            w.open();
            Tensor reduced = Arithmetic.addAdjointB(g, Tensor.of(new float[] {0, 0, 0}, 3), null, g);
            w.close();
            assertArrayEquals(new float[] {2, 2, 2}, reduced.toArray(), "step " + step);
        }
    }

    @Test
    void scalarNeedsTheWorkspaceOpenOnThisThread() {
        Workspace w = new Workspace();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.scalar(1.0));
        assertEquals("Workspace.scalar: open() the workspace on this thread first", e.getMessage());
        w.open();
        assertEquals(0.5f, w.scalar(0.5).item());
        w.close();
    }

    @Test
    void openingTwiceIsAnErrorAndNestedWorkspacesRestoreTheOuterOne() {
        Workspace outer = new Workspace();
        Workspace inner = new Workspace();
        outer.open();
        assertThrows(IllegalStateException.class, outer::open);
        Tensor o1 = Ops.abs(x());
        inner.open();
        Tensor i1 = Ops.abs(x());
        inner.close();
        Tensor o2 = Ops.abs(x());
        outer.close();
        assertNotSame(o1, i1);
        assertNotSame(o1, o2); // the outer workspace's second request, not its first
        outer.open();
        assertSame(o1, Ops.abs(x()));
        assertSame(o2, Ops.abs(x()));
        outer.close();
    }

    @Test
    void aSumInsideAStepIsRecycledAndOutsideIsNew() {
        Workspace w = new Workspace();
        Tensor a = x();
        w.open();
        Tensor p1 = Workspace.sum(a, a);
        w.close();
        w.open();
        Tensor p2 = Workspace.sum(a, a);
        Tensor plus = a.plus(a);
        w.close();
        assertSame(p1, p2);
        assertArrayEquals(new float[] {-2, 4, -6, 8, 0, -12}, p2.toArray());
        assertNotSame(Workspace.sum(a, a), Workspace.sum(a, a));
        // Tensor knows nothing of workspaces: plus always makes a new tensor, even inside a step.
        assertNotSame(p2, plus);
        assertArrayEquals(p2.toArray(), plus.toArray());
    }

    @Test
    void aViewSharesItsValuesAndChecksItsSize() {
        Tensor t = x();
        Tensor v = t.view(6);
        v.buffer()[0] = 42;
        assertEquals(42f, t.get(0, 0));
        assertArrayEquals(new int[] {6}, v.shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.view(4));
        assertEquals("view: shape [4] does not hold the 6 values of [2, 3]", e.getMessage());
    }
}
