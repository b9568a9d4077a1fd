package dev.tapgrad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 through javac: a static layer field and members named like the generated graph's are
 * ModelForm errors on the user's elements; names with {@code $} (even {@code $L}, {@code $S},
 * {@code $N}, JavaPoet's own placeholders) and non-ASCII names compile, so no name ever reaches
 * JavaPoet inside a format string.
 */
class GeneratedNamesCompileTest {
    @Test
    void staticLayerField() {
        Negative.compile("StaticLayerField", 1).errorAt(16, 27, "[Tapgrad/ModelForm] layer field flat is static, so every"
                + " instance of the model would share the layer built last: remove static");
    }

    @Test
    void membersNamedLikeGeneratedOnesAreErrorsOnTheUsersElements() {
        Negative.compile("GeneratedNameClash", 8)
                .errorOn(16, "[Tapgrad/ModelForm] method forward clashes with the generated GeneratedNameClashGraph's"
                        + " method forward, one of its passes: rename forward")
                .errorOn(21, "[Tapgrad/ModelForm] method decayWithGradient clashes with the generated"
                        + " GeneratedNameClashGraph's method decayWithGradient, the compiled form of decay: rename decayWithGradient")
                .errorOn(22, "[Tapgrad/ModelForm] method predict clashes with the generated GeneratedNameClashGraph's method"
                        + " predict of TrainableModel: rename predict")
                .errorOn(23, "[Tapgrad/ModelForm] field steps clashes with the generated GeneratedNameClashGraph's field steps")
                .errorOn(24, "[Tapgrad/ModelForm] field hiddenOut clashes with the generated GeneratedNameClashGraph's field"
                        + " hiddenOut, a buffer of layer hidden")
                .errorOn(25, "[Tapgrad/ModelForm] class Steps clashes with the generated GeneratedNameClashGraph's class Steps")
                .errorOn(11, "[Tapgrad/ModelForm] method losses (inherited from ClashBase) clashes with the generated"
                        + " GeneratedNameClashGraph's method losses")
                .errorOn(11, "[Tapgrad/ModelForm] field outKernel (inherited from ClashBase) clashes with the generated"
                        + " GeneratedNameClashGraph's field outKernel, parameter out.kernel that decay taps: rename outKernel");
    }

    @Test
    void dollarAndUnicodeNamesCompile() {
        Compilation c = Compile.compile(Compile.resource("good/UnicodeNames.java"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("demo.UnicodeNamesGraph").contentsAsUtf8String()
                .contains("层 = new Add(\"层\")");
        assertThat(c).generatedSourceFile("demo.UnicodeNamesGraph").contentsAsUtf8String()
                .contains("$L$S$NWithGradient(");
    }
}
