package dev.tapgrad.processor;

import org.junit.jupiter.api.Test;

/**
 * DESIGN §2 rows 3 and 5: loss bodies that cannot be differentiated, and shape errors inside them.
 * Each error points at the statement or expression: javac places a call at its '(', an assignment
 * or a binary operation at its operator, a statement at its first keyword.
 */
class BodyErrorsTest {
    private static final String STRAIGHT_LINE = "a loss body is straight-line code of Tensor locals and ops";

    @Test
    void forLoopIsReportedOnTheLoop() {
        Negative.compile("LoopInBody", 1)
                .errorAt(22, 9, "[Tapgrad/NotDifferentiable] a loop cannot be differentiated at compile time")
                .alsoSays(STRAIGHT_LINE)
                .alsoSays("for a sum over items use sum or mean");
    }

    @Test
    void ifIsReportedOnTheIf() {
        Negative.compile("IfInBody", 1)
                .errorAt(22, 9, "[Tapgrad/NotDifferentiable] an if statement cannot be differentiated at compile time")
                .alsoSays("for a per-element choice use an op such as abs or clip");
    }

    @Test
    void callWithoutDerivativeRuleIsReportedOnTheCall() {
        // return mean(CompiledClipping.clip(hidden)); -- column 70 is the '(' of CompiledClipping.clip(...),
        // a method on the class path without @Differentiable: its body cannot be read
        Negative.compile("CompiledHelper", 1)
                .errorAt(17, 70, "[Tapgrad/NotDifferentiable] call to CompiledClipping.clip"
                        + " (dev.tapgrad.processor.fixtures.CompiledClipping) has no derivative rule: it is compiled outside"
                        + " this compilation, so its body cannot be read: mark it @Differentiable(adjoint = ..., shape = ...)"
                        + " where it is declared");
    }

    @Test
    void aStaticHelperOfThisCompilationIsInlinedAndItsCodeChecked() {
        // Clipping.clip is inlined like a model's helper; its float[] local is reported where it is written:
        // float[] v = x.toArray(); -- column 17 is the name v
        Negative.compile("NoDerivativeRule", 1)
                .errorAt(26, 17, "[Tapgrad/NotDifferentiable] local v has type float[]; loss bodies only declare Tensor locals");
    }

    @Test
    void fieldWriteIsReportedOnTheAssignment() {
        Negative.compile("FieldWrite", 1).errorAt(23, 14, "[Tapgrad/NotDifferentiable] assignment to last: a loss body may"
                + " not change fields or parameters; compute into a new Tensor local");
    }

    @Test
    void plusOnTensorsSuggestsAdd() {
        Negative.compile("PlusOnTensors", 1)
                .errorAt(20, 60, "[Tapgrad/NotDifferentiable] operator + does not apply to Tensor values: use add(a, b)");
    }

    @Test
    void unknownIdentifierSuggestsTheParameter() {
        Negative.compile("UnknownName", 1).errorAt(20, 53, "[Tapgrad/NotDifferentiable] conv is not a parameter, local or"
                + " constant of this loss (did you mean conv1?); in scope: conv1");
    }

    @Test
    void nonScalarResultGivesItsShapeAndTheReductions() {
        Negative.compile("NotScalar", 1)
                .errorAt(20, 47, "[Tapgrad/BodyShape] sparsity returns a (B, 26, 26, 32) tensor but a loss must be a scalar ()")
                .alsoSays("reduce it, e.g. mean(...) or sum(...)");
    }

    @Test
    void addingAKernelAndABiasThatDoNotBroadcast() {
        // Two parameter taps: out.kernel is (21632, 10), conv1.bias is (32,).
        Negative.compile("BroadcastMismatch", 1)
                .errorAt(20, 64, "[Tapgrad/BodyShape] add((21632, 10), (32,)): the shapes do not broadcast"
                        + " (trailing dimensions must be equal or 1)");
    }

    @Test
    void recursiveHelpersAreReportedWithTheChainOfCalls() {
        // Tensor shrinkAgain(Tensor t) { return shrink(t); } -- column 49 is the ( of shrink(t)
        Negative.compile("RecursiveHelper", 1)
                .errorAt(26, 49, "[Tapgrad/NotDifferentiable] recursive call sparsity → shrink → grow → shrinkAgain → shrink")
                .alsoSays("write the recursion out");
    }

    @Test
    void seedDocumentsBuggyCosineSimilarityIsRejected() {
        // mul(norm, expandDims(norm, 2)): (B, 1) times (B, 1, 1) -- column 61 is the ( of mul(...)
        Negative.compile("SeedCosine", 1)
                .errorAt(23, 61, "[Tapgrad/BodyShape] mul((B, 1), (B, 1, 1))")
                .alsoSays("rank");
    }
}
