package dev.tapgrad.runtime.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The direct convolution's grouping of kernel rows; its results are tested through Conv2D (Conv2DPathsTest). */
class DirectConvTest {
    @Test
    void kernelRowsGoInGroupsOf4And5() {
        int[][] cases = {{1, 4}, {3, 4}, {4, 4}, {5, 5}, {6, 8}, {7, 8}, {9, 9}, {11, 12}, {25, 25}, {27, 27}};
        for (int[] c : cases) {
            int padded = DirectConv.roundUpToRowGroups(c[0]);
            assertEquals(c[1], padded, "patch " + c[0]);
            int sum = 0;
            for (int group : DirectConv.rowGroups(padded)) {
                assertTrue(group == 4 || group == 5);
                sum += group;
            }
            assertEquals(padded, sum);
        }
    }
}
