package dev.tapgrad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** DESIGN §2 row 13 (metric vs loss, fromLogits vs output) and the new losses' row-9 checks, by file and line. */
class MetricLossErrorsTest {
    @Test
    void accuracyOnARegressionLossIsAnErrorOnTheMetrics() {
        Negative.compile("AccuracyOnRegression", 1).errorOn(12, "[Tapgrad/MetricLoss] accuracy counts correct classes,"
                + " but MAE is a regression loss").alsoSays("report MAE or MSE instead");
    }

    @Test
    void sparseAccuracyNeedsTheSparseLossAndTheSparseLossNeedsClassMetrics() {
        Negative.compile("SparseMetricMismatch", 2)
                .errorOn(12, "[Tapgrad/MetricLoss] sparse_categorical_accuracy needs class-id labels, which only loss ="
                        + " SPARSE_CATEGORICAL_CROSSENTROPY takes, not CATEGORICAL_CROSSENTROPY")
                .errorOn(17, "[Tapgrad/MetricLoss] mae compares labels with predictions of the same shape");
    }

    @Test
    void fromLogitsOnASoftmaxOutputIsAWarningAndCompiles() {
        JavaFileObject file = Compile.resource("bad/LogitsAfterSoftmax.java");
        Compilation c = Compile.compile(file);
        assertThat(c).succeeded();
        assertThat(c).hadWarningCount(1);
        assertThat(c).hadWarningContaining("[Tapgrad/LossOutput] fromLogits = true, but the output layer out has"
                + " activation SOFTMAX: the loss applies a softmax again (double squashing)").inFile(file).onLine(12);
    }

    @Test
    void fromLogitsOnASigmoidOutputIsAWarningSuppressedByTheTag() {
        String[] lines = {
            "package bad;",
            "import dev.tapgrad.*;",
            "import dev.tapgrad.runtime.layers.Dense;",
            "@Model(input = {4}, loss = LossKind.BINARY_CROSSENTROPY, fromLogits = true)",
            "abstract class LogitsAfterSigmoid {",
            "    @Layer(units = 1, activation = Activation.SIGMOID) Dense out;",
            "}"};
        JavaFileObject source = Compile.source("bad.LogitsAfterSigmoid", lines);
        Compilation c = Compile.compile(source);
        assertThat(c).succeeded();
        assertThat(c).hadWarningCount(1);
        assertThat(c).hadWarningContaining("[Tapgrad/LossOutput] fromLogits = true, but the output layer out has"
                + " activation SIGMOID: the loss applies a sigmoid again").inFile(source).onLine(4);
        lines[4] = "@SuppressWarnings(\"tapgrad:lossoutput\") abstract class LogitsAfterSigmoid {";
        assertThat(Compile.compile(Compile.source("bad.LogitsAfterSigmoid", lines))).succeededWithoutWarnings();
    }

    @Test
    void fromLogitsOnARegressionLossIsAnError() {
        Negative.compile("LogitsOnRegression", 1).errorOn(10, "[Tapgrad/LossOutput] fromLogits = true applies to the"
                + " crossentropy losses").alsoSays("not to HUBER");
    }

    @Test
    void sparseLossOnOneUnitIsAnErrorOnTheLoss() {
        Negative.compile("SparseOnOneUnit", 1).errorOn(10, "[Tapgrad/LossOutput] sparse_categorical_crossentropy needs"
                + " two or more classes, but the output layer out has 1 unit");
    }

    @Test
    void binaryCrossentropyOnReluIsAnErrorOnTheLoss() {
        Negative.compile("BinaryOnRelu", 1).errorOn(10, "[Tapgrad/LossOutput] binary_crossentropy needs probabilities,"
                + " but the output layer out has activation RELU: use activation = SIGMOID on out, or declare"
                + " @Model(fromLogits = true)");
    }
}
