package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code -Atapgrad.report=true} prints the model summary as one note on the model class. */
class ReportOptionTest {
    @Test
    void summaryListsLayersShapesParameterCountsAndWhatEachAuxLossReaches() {
        Compilation c = Compiler.javac().withProcessors(new TapgradProcessor()).withOptions("-Atapgrad.report=true")
                .compile(Compile.resource("good/SparseCnn.java"));
        assertThat(c).succeededWithoutWarnings();
        // javac indents the continuation lines of a multi-line note; compare the lines without it
        List<String> notes = c.notes().stream().map(d -> d.getMessage(null))
                .filter(m -> m.startsWith("Tapgrad summary"))
                .map(m -> String.join("\n", m.lines().map(String::stripLeading).toList())).toList();
        assertThat(notes).hasSize(1);
        // conv1: 3·3·1·32 + 32 = 320; out: 21632·10 + 10 = 216,330; total 216,650 (counted by hand)
        assertThat(notes.get(0)).isEqualTo(String.join("\n",
                "Tapgrad summary of SparseCnn (input (B, 28, 28, 1))",
                "conv1          Conv2D       (B, 26, 26, 32)      320 params",
                "flat           Flatten      (B, 21632)           0 params",
                "out            Dense        (B, 10)              216,330 params",
                "total 216,650 trainable parameters",
                "main loss categorical_crossentropy reaches every parameter",
                "aux loss sparsity (weight 0.01, tap conv1) reaches conv1.kernel, conv1.bias"));
    }

    /**
     * A side head: {@code side} reads the trunk but is not on the way to the output, so the main
     * loss reaches the trunk and the output only; the aux loss on the side head reaches the side head
     * and the trunk, and a parameter tap whose body ignores it reaches nothing.
     */
    @Test
    void eachTermReachesOnlyTheParametersItsGradientFlowsInto() {
        Compilation c = Compiler.javac().withProcessors(new TapgradProcessor()).withOptions("-Atapgrad.report=true")
                .compile(Compile.source("demo.SideHead",
                        "package demo;",
                        "import dev.tapgrad.*;",
                        "import dev.tapgrad.runtime.Tensor;",
                        "import dev.tapgrad.runtime.layers.Dense;",
                        "import static dev.tapgrad.Activation.*;",
                        "import static dev.tapgrad.LossKind.*;",
                        "import static dev.tapgrad.runtime.Ops.*;",
                        "@Model(input = {6}, loss = MSE)",
                        "abstract class SideHead {",
                        "    @Layer(units = 8, activation = TANH) Dense trunk;",
                        "    @Layer(inputs = \"trunk\", units = 2) Dense side;",
                        "    @Layer(inputs = \"trunk\", units = 3) Dense out;",
                        "    @AuxLoss(tap = \"side\", weight = 0.5)",
                        "    Tensor sideLoss(Tensor s) { return mean(square(s)); }",
                        "    @AuxLoss(tap = {\"side\", \"out.kernel\"}, weight = 0.5)",
                        "    Tensor onlySide(Tensor s, Tensor k) { return sum(s); }",
                        "}"));
        assertThat(c).succeededWithoutWarnings();
        List<String> notes = c.notes().stream().map(d -> d.getMessage(null))
                .filter(m -> m.startsWith("Tapgrad summary"))
                .map(m -> String.join("\n", m.lines().map(String::stripLeading).toList())).toList();
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).lines().skip(5).toList()).containsExactly(
                "main loss mse reaches trunk.kernel, trunk.bias, out.kernel, out.bias",
                "aux loss sideLoss (weight 0.5, tap side) reaches trunk.kernel, trunk.bias, side.kernel, side.bias",
                "aux loss onlySide (weight 0.5, tap side, out.kernel) reaches trunk.kernel, trunk.bias, side.kernel,"
                        + " side.bias").inOrder();
    }

    @Test
    void noSummaryWithoutTheOption() {
        Compilation c = Compile.compile(Compile.resource("good/SparseCnn.java"));
        assertThat(c.notes().stream().map(d -> d.getMessage(null)).anyMatch(m -> m.startsWith("Tapgrad summary"))).isFalse();
    }
}
