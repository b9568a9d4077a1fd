package dev.tapgrad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Tapgrad's warnings compile, say what to do, and go away with {@code @SuppressWarnings("tapgrad:<tag>")}. */
class WarningsTest {
    @Test
    void unreachableLayerWarningIsSuppressedByTheTag() {
        Compilation c = Compile.compile(Compile.resource("bad/SuppressedUnreachable.java"));
        assertThat(c).succeededWithoutWarnings();
    }

    @Test
    void crossentropyOnSigmoidIsAWarningOnTheLossValue() {
        JavaFileObject file = Compile.resource("bad/CrossentropyOnSigmoid.java");
        Compilation c = Compile.compile(file);
        assertThat(c).succeeded();
        assertThat(c).hadWarningCount(1);
        // @Model(input = {28, 28, 1}, loss = CATEGORICAL_CROSSENTROPY, ...) -- column 36 is the loss value
        assertThat(c).hadWarningContaining("[Tapgrad/LossOutput] categorical_crossentropy on the sigmoid outputs of out")
                .inFile(file).onLine(13).atColumn(36);
    }

    @Test
    void crossentropyOnSigmoidIsSuppressedOnTheClass() {
        JavaFileObject source = Compile.source("bad.QuietSigmoid",
                "package bad;",
                "import dev.tapgrad.*;",
                "import dev.tapgrad.runtime.layers.Dense;",
                "@Model(input = {4}, loss = LossKind.CATEGORICAL_CROSSENTROPY)",
                "@SuppressWarnings(\"tapgrad:lossoutput\")",
                "abstract class QuietSigmoid {",
                "    @Layer(units = 3, activation = Activation.SIGMOID) Dense out;",
                "}");
        assertThat(Compile.compile(source)).succeededWithoutWarnings();
    }

    @Test
    void parameterNamedLikeAnotherLayerIsAWarning() {
        JavaFileObject source = Compile.source("bad.MisnamedParameter",
                "package bad;",
                "import dev.tapgrad.*;",
                "import dev.tapgrad.runtime.Tensor;",
                "import dev.tapgrad.runtime.layers.Dense;",
                "import static dev.tapgrad.runtime.Ops.*;",
                "@Model(input = {4}, loss = LossKind.MSE)",
                "abstract class MisnamedParameter {",
                "    @Layer(units = 3, activation = Activation.RELU) Dense hidden;",
                "    @Layer(units = 2) Dense out;",
                "    @AuxLoss(tap = \"hidden\") Tensor small(Tensor out) { return mean(square(out)); }",
                "}");
        Compilation c = Compile.compile(source);
        assertThat(c).succeeded();
        assertThat(c).hadWarningCount(1);
        // column 50 is the parameter name out
        assertThat(c).hadWarningContaining("[Tapgrad/LossSignature] parameter out of small receives tap \"hidden\","
                + " not layer out (taps bind by position, not by name)").inFile(source).onLine(10).atColumn(50);
    }

    @Test
    void parameterNameWarningIsSuppressedOnTheMethod() {
        JavaFileObject source = Compile.source("bad.QuietParameter",
                "package bad;",
                "import dev.tapgrad.*;",
                "import dev.tapgrad.runtime.Tensor;",
                "import dev.tapgrad.runtime.layers.Dense;",
                "import static dev.tapgrad.runtime.Ops.*;",
                "@Model(input = {4}, loss = LossKind.MSE)",
                "abstract class QuietParameter {",
                "    @Layer(units = 3, activation = Activation.RELU) Dense hidden;",
                "    @Layer(units = 2) Dense out;",
                "    @SuppressWarnings(\"tapgrad:losssignature\")",
                "    @AuxLoss(tap = \"hidden\") Tensor small(Tensor out) { return mean(square(out)); }",
                "}");
        assertThat(Compile.compile(source)).succeededWithoutWarnings();
    }

    @Test
    void lossMethodNamedLossNextToAuxTermsIsAWarningThatCanBeSuppressed() {
        String[] lines = {
                "package bad;",
                "import dev.tapgrad.*;",
                "import dev.tapgrad.runtime.Tensor;",
                "import dev.tapgrad.runtime.layers.Dense;",
                "import static dev.tapgrad.runtime.Ops.*;",
                "@Model(input = {4})",
                "abstract class NamedLoss {",
                "    @Layer(units = 3, activation = Activation.RELU) Dense hidden;",
                "    @Layer(units = 2) Dense out;",
                "    @Loss Tensor loss(Tensor yTrue, Tensor yPred) { return mean(square(sub(yPred, yTrue))); }",
                "    @AuxLoss(tap = \"hidden\") Tensor small(Tensor hidden) { return mean(square(hidden)); }",
                "}"};
        JavaFileObject loud = Compile.source("bad.NamedLoss", lines);
        Compilation c = Compile.compile(loud);
        assertThat(c).succeeded();
        assertThat(c).hadWarningCount(1);
        assertThat(c).hadWarningContaining("[Tapgrad/LossOutput] the @Loss method is named loss").inFile(loud).onLine(10);
        lines[9] = "    @SuppressWarnings(\"tapgrad:lossoutput\") " + lines[9].strip();
        assertThat(Compile.compile(Compile.source("bad.NamedLoss", lines))).succeededWithoutWarnings();
    }
}
