package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A Conv2D feeds the BatchNorm after it ({@code conv.feedBatchNorm(bn)} at construction) exactly
 * where the BatchNorm is the only reader of the convolution's output and no loss taps that output;
 * a fed model gives the loss terms and gradients of the same model compiled without feeds
 * ({@code -Atapgrad.fusion=false}) up to the reordered sums of the batch statistics.
 */
class NormalizationFeedsTest {
    private static final String HEADER = String.join("\n",
            "package feed;",
            "import dev.tapgrad.*;",
            "import dev.tapgrad.runtime.Tensor;",
            "import dev.tapgrad.runtime.layers.*;",
            "import static dev.tapgrad.Activation.*;",
            "import static dev.tapgrad.LossKind.*;",
            "import static dev.tapgrad.runtime.Ops.*;",
            "@Model(input = {9, 9, 2}, loss = CATEGORICAL_CROSSENTROPY)");

    private static Compilation compile(boolean feeds, String... body) {
        String[] lines = new String[body.length + 3];
        lines[0] = HEADER;
        lines[1] = "abstract class Fed {";
        System.arraycopy(body, 0, lines, 2, body.length);
        lines[lines.length - 1] = "}";
        Compiler javac = Compiler.javac().withProcessors(new TapgradProcessor());
        Compilation c = (feeds ? javac : javac.withOptions("-Atapgrad.fusion=false"))
                .compile(Compile.source("feed.Fed", lines));
        assertThat(c).succeededWithoutWarnings();
        return c;
    }

    private static final String[] TWO_BLOCKS = {
        "    @Layer(filters = 4, kernel = 3, activation = RELU) Conv2D conv1;",
        "    @Layer BatchNorm bn1;",
        "    @Layer(filters = 5, kernel = 3, activation = RELU) Conv2D conv2;",
        "    @Layer BatchNorm bn2;",
        "    @Layer Flatten flat;",
        "    @Layer(units = 3, activation = SOFTMAX) Dense out;",
        "    @AuxLoss(tap = \"bn1\", weight = 0.05)",
        "    Tensor onBn(Tensor a) { return mean(abs(a)); }",
    };

    @Test
    void fedAndUnfedModelsGiveTheSameTermsAndGradients() throws Exception {
        Compilation fed = compile(true, TWO_BLOCKS);
        Compilation plain = compile(false, TWO_BLOCKS);
        assertThat(source(fed)).contains("conv1.feedBatchNorm(bn1);");
        assertThat(source(fed)).contains("conv2.feedBatchNorm(bn2);");
        assertThat(source(plain)).doesNotContain("feedBatchNorm");

        Random random = new Random(5);
        Tensor x = Tensor.randn(random, 6, 9, 9, 2);
        float[] labels = new float[6 * 3];
        for (int i = 0; i < 6; i++) {
            labels[i * 3 + random.nextInt(3)] = 1;
        }
        Tensor y = Tensor.of(labels, 6, 3);
        Gradients a = GeneratedClasses.gradients(fed, "feed.FedGraph", x, y);
        Gradients b = GeneratedClasses.gradients(plain, "feed.FedGraph", x, y);
        assertThat(a.terms().keySet()).containsExactly("categorical_crossentropy", "onBn");
        for (String term : a.terms().keySet()) {
            assertEquals(b.terms().get(term), a.terms().get(term), 1e-5 * Math.abs(b.terms().get(term)), term);
        }
        for (String p : List.of("conv1.kernel", "conv1.bias", "bn1.gamma", "bn1.beta", "conv2.kernel", "conv2.bias",
                "bn2.gamma", "bn2.beta", "out.kernel", "out.bias")) {
            float[] expected = b.get(p).toArray();
            float[] actual = a.get(p).toArray();
            assertEquals(expected.length, actual.length, p);
            // The fed statistics are summed image by image and combined in image order, the unfed in
            // one pass: float rounding apart, the same; a wrong statistic or dL/dx moves them by far more.
            float scale = 0;
            for (float v : expected) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(scale > 0, p + " has a gradient");
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4f * scale, p + "[" + i + "]");
            }
        }
    }

    @Test
    void aTappedConvolutionDoesNotFeed() throws IOException {
        Compilation c = compile(true,
                "    @Layer(filters = 4, kernel = 3, activation = RELU) Conv2D conv;",
                "    @Layer BatchNorm bn;",
                "    @Layer Flatten flat;",
                "    @Layer(units = 3, activation = SOFTMAX) Dense out;",
                "    @AuxLoss(tap = \"conv\", weight = 0.05)",
                "    Tensor onConv(Tensor a) { return mean(abs(a)); }");
        assertThat(source(c)).doesNotContain("feedBatchNorm");
    }

    @Test
    void aConvolutionWithASecondReaderDoesNotFeed() throws IOException {
        Compilation c = compile(true,
                "    @Layer(filters = 4, kernel = 3, activation = RELU) Conv2D conv;",
                "    @Layer BatchNorm bn;",
                "    @Layer(inputs = {\"conv\", \"bn\"}) Add sum;",
                "    @Layer Flatten flat;",
                "    @Layer(units = 3, activation = SOFTMAX) Dense out;");
        assertThat(source(c)).doesNotContain("feedBatchNorm");
    }

    @Test
    void aBatchNormAfterAnotherLayerIsNotFed() throws IOException {
        Compilation c = compile(true,
                "    @Layer(filters = 4, kernel = 3, activation = RELU) Conv2D conv;",
                "    @Layer(pool = 2) MaxPool2D pool;",
                "    @Layer BatchNorm bn;",
                "    @Layer Flatten flat;",
                "    @Layer(units = 3, activation = SOFTMAX) Dense out;");
        assertThat(source(c)).doesNotContain("feedBatchNorm");
    }

    private static String source(Compilation c) throws IOException {
        return c.generatedSourceFile("feed.FedGraph").orElseThrow().getCharContent(true).toString();
    }
}
