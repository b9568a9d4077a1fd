package dev.tapgrad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** DESIGN §2 row 7: wiring with {@code @Layer(inputs = ...)}. */
class WiringErrorsTest {
    @Test
    void unknownInputIsReportedOnItsNameWithDidYouMean() {
        // @Layer(inputs = {"hiden", "second"}) Add skip; -- column 22 is the string "hiden"
        Negative.compile("UnknownInput", 1)
                .errorAt(18, 22, "[Tapgrad/Wiring] input \"hiden\" of layer skip names no other layer of UnknownInput;"
                        + " layers: hidden, second, skip, out, and \"input\" for the model's input (did you mean hidden?)");
    }

    @Test
    void cycleIsReportedWithTheLayersInIt() {
        // merge reads first (its first input, column 22) and first reads merge
        Negative.compile("CycleInWiring", 1)
                .errorAt(18, 22, "[Tapgrad/Wiring] the layers form a cycle, merge → first → merge")
                .alsoSays("break the loop");
    }

    @Test
    void layerNothingReadsIsAWarningAndTheModelStillCompiles() {
        JavaFileObject file = Compile.resource("bad/UnreachableLayer.java");
        Compilation c = Compile.compile(file);
        assertThat(c).succeeded();
        assertThat(c).hadWarningCount(1);
        // @Layer(units = 16, activation = RELU) Dense side; -- column 49 is the field name
        assertThat(c).hadWarningContaining("[Tapgrad/Wiring] layer side is computed but its output reaches neither"
                + " the model's output out nor any loss").inFile(file).onLine(16).atColumn(49);
        assertThat(c).generatedSourceFile("bad.UnreachableLayerGraph").contentsAsUtf8String()
                .doesNotContain("side.backward");
    }

    @Test
    void layerNamesTheGeneratedCodeUsesAreRejected() {
        // Dense x (column 49) would shadow the input tensor; Dense hiddenOut (column 29) is hidden's output buffer;
        // Dense hiddenKernel (column 29) is the field of the parameter hidden.kernel, which l1 taps
        Negative.compile("ReservedLayerName", 3)
                .errorAt(15, 49, "[Tapgrad/Wiring] a layer may not be named x: the generated code uses x itself; rename the field")
                .errorAt(17, 29, "[Tapgrad/Wiring] a layer may not be named hiddenOut: the generated code names layer"
                        + " hidden's buffer hiddenOut; rename the field")
                .errorAt(18, 29, "[Tapgrad/Wiring] a layer may not be named hiddenKernel: the generated code names the"
                        + " field of parameter hidden.kernel, which l1 taps, hiddenKernel; rename the field");
    }
}
