package dev.tapgrad.processor.check;

import static com.google.common.truth.Truth.assertThat;
import static dev.tapgrad.processor.check.Specs.conv;
import static dev.tapgrad.processor.check.Specs.dense;
import static dev.tapgrad.processor.check.Specs.flatten;
import static dev.tapgrad.processor.check.Specs.lines;
import static dev.tapgrad.processor.check.Specs.model;

import dev.tapgrad.Padding;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.layers.Conv2DType;
import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DESIGN §2 row 4 on hand-built specs; every expected size is worked out by hand in the comment beside it. */
class LayerShapeCheckTest {
    @Test
    void convOutputSizesAsKerasComputesThem() {
        assertThat(Conv2DType.outputSize(28, 3, 1, Padding.VALID)).isEqualTo(26); // 28 - 3 + 1
        assertThat(Conv2DType.outputSize(28, 3, 1, Padding.SAME)).isEqualTo(28); // ceil(28 / 1)
        assertThat(Conv2DType.outputSize(7, 3, 2, Padding.SAME)).isEqualTo(4); // ceil(7 / 2)
        assertThat(Conv2DType.outputSize(7, 3, 2, Padding.VALID)).isEqualTo(3); // floor((7 - 3) / 2) + 1
        assertThat(Conv2DType.outputSize(28, 5, 2, Padding.VALID)).isEqualTo(12); // floor(23 / 2) + 1
        assertThat(Conv2DType.outputSize(8, 2, 2, Padding.SAME)).isEqualTo(4); // 8 / 2
        assertThat(Conv2DType.outputSize(3, 3, 1, Padding.VALID)).isEqualTo(1); // kernel exactly fits
        assertThat(Conv2DType.outputSize(2, 3, 1, Padding.VALID)).isEqualTo(0); // kernel larger than input
        assertThat(Conv2DType.outputSize(2, 3, 1, Padding.SAME)).isEqualTo(2); // SAME pads instead
    }

    @Test
    void sparseCnnShapes() {
        Report r = new Report();
        GraphShapes s = LayerShapeCheck.run(Specs.sparseCnn(), r);
        assertThat(lines(r)).isEmpty();
        assertThat(s.outputs().get("conv1")).isEqualTo(Shape.batch(26, 26, 32));
        assertThat(s.outputs().get("flat")).isEqualTo(Shape.batch(21632)); // 26 * 26 * 32
        assertThat(s.outputs().get("out")).isEqualTo(Shape.batch(10));
        assertThat(s.input("out")).isEqualTo(Shape.batch(21632));
        assertThat(s.parameters()).containsExactly(
                "conv1.kernel", Shape.fixed(3, 3, 1, 32), "conv1.bias", Shape.fixed(32),
                "out.kernel", Shape.fixed(21632, 10), "out.bias", Shape.fixed(10));
    }

    @Test
    void stridedSameAndRectangularKernels() {
        Report r = new Report();
        GraphShapes s = LayerShapeCheck.run(model(List.of(7, 9, 3), List.of(
                conv("a", 8, List.of(3), List.of(2), Padding.SAME), // 7 -> ceil(7/2) = 4, 9 -> 5
                conv("b", 4, List.of(3, 1), List.of(1, 2), Padding.VALID), // 4 - 3 + 1 = 2; floor((5 - 1) / 2) + 1 = 3
                flatten("flat"), dense("out", 2)), List.of()), r);
        assertThat(lines(r)).isEmpty();
        assertThat(s.outputs().get("a")).isEqualTo(Shape.batch(4, 5, 8));
        assertThat(s.outputs().get("b")).isEqualTo(Shape.batch(2, 3, 4));
        assertThat(s.parameters().get("b.kernel")).isEqualTo(Shape.fixed(3, 1, 8, 4));
        assertThat(s.outputs().get("flat")).isEqualTo(Shape.batch(24)); // 2 * 3 * 4
    }

    @Test
    void denseOnASequenceActsPerStep() {
        Report r = new Report();
        GraphShapes s = LayerShapeCheck.run(model(List.of(100, 8), List.of(dense("out", 1)), List.of()), r);
        assertThat(lines(r)).isEmpty();
        assertThat(s.outputs().get("out")).isEqualTo(Shape.batch(100, 1));
        assertThat(s.parameters().get("out.kernel")).isEqualTo(Shape.fixed(8, 1));
    }

    @Test
    void denseAfterConvAsksForAFlatten() {
        Report r = new Report();
        GraphShapes s = LayerShapeCheck.run(model(List.of(28, 28, 1), List.of(
                conv("conv1", 32, List.of(3), List.of(), Padding.VALID), dense("out", 10)), List.of()), r);
        assertThat(s).isNull();
        assertThat(lines(r)).containsExactly("ERROR [Tapgrad/LayerShape] Dense out needs (batch, features) or"
                + " (batch, steps, features), but conv1 gives (B, 26, 26, 32): add a Flatten before out @ At[where=out]");
    }

    @Test
    void kernelLargerThanTheInputIsReportedAtTheKernel() {
        Report r = new Report();
        GraphShapes s = LayerShapeCheck.run(model(List.of(2, 28, 1), List.of(
                conv("conv1", 32, List.of(3), List.of(), Padding.VALID), flatten("flat"), dense("out", 10)), List.of()), r);
        assertThat(s).isNull();
        assertThat(lines(r)).containsExactly("ERROR [Tapgrad/LayerShape] Conv2D conv1 needs an input at least as large"
                + " as its 3x3 kernel, but the input gives (B, 2, 28, 1): use a smaller kernel or padding = SAME"
                + " @ At[where=conv1.kernel]");
    }

    @Test
    void convOnVectorsAsksForAnImageInput() {
        Report r = new Report();
        GraphShapes s = LayerShapeCheck.run(model(List.of(784), List.of(
                conv("conv1", 32, List.of(3), List.of(), Padding.VALID), flatten("flat"), dense("out", 10)), List.of()), r);
        assertThat(s).isNull();
        assertThat(lines(r)).containsExactly("ERROR [Tapgrad/LayerShape] Conv2D conv1 needs images (batch, height, width,"
                + " channels), but the input gives (B, 784): declare @Model(input = {height, width, channels}) or reshape"
                + " the data @ At[where=conv1]");
    }
}
