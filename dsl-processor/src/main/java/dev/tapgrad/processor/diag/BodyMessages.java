package dev.tapgrad.processor.diag;

import static dev.tapgrad.processor.diag.Messages.list;

import dev.tapgrad.processor.ir.OpSignature.ArgKind;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Messages about loss bodies that cannot be differentiated: statements, expressions, names and
 * calls the reader does not accept (tag NotDifferentiable).
 * The tag that goes with each message is chosen by the caller from {@link Tag}.
 */
public final class BodyMessages {
    private BodyMessages() {}

    // ---- bodies (NotDifferentiable) -------------------------------------------------------

    public static String unsupportedStatement(String what) {
        return what + " cannot be differentiated at compile time: a loss body is straight-line code of Tensor locals and ops "
                + "(for a per-element choice use an op such as abs or clip; for a sum over items use sum or mean)";
    }

    public static String unsupportedExpression(String expr, String what) {
        return what + " (" + expr + ") cannot be differentiated: use ops from dev.tapgrad.runtime.Ops on Tensor values";
    }

    public static String unreachableAfterReturn() {
        return "statement after return: the return must be the last statement of a loss body";
    }

    public static String localNotTensor(String name, String type) {
        return "local " + name + " has type " + type + "; loss bodies only declare Tensor locals "
                + "(write constants inline or as fields of the model class)";
    }

    public static String localWithoutValue(String name) {
        return "local " + name + " has no value: initialise it where it is declared";
    }

    public static String fieldWrite(String target) {
        return "assignment to " + target + ": a loss body may not change fields or parameters; compute into a new Tensor local";
    }

    public static String constantWhereTensorNeeded(String expr) {
        return expr + " is a number where a Tensor is needed: wrap it with an op, e.g. scale(" + expr + ", x)";
    }

    public static String tensorOperator(String op, String hint) {
        return "operator " + op + " does not apply to Tensor values: use " + hint;
    }

    public static String unsupportedField(String name, String type) {
        return "field " + name + " of type " + type + " cannot be used in a loss body; bodies read numbers, booleans"
                + " and Tensor constants from fields";
    }

    public static String instanceFieldOfOtherClass(String name, String owner) {
        return "field " + name + " of " + owner + " is an instance field; a body reads the model's fields and"
                + " constants (static final) of other classes: make it static final";
    }

    public static String booleanNotConstant(String name) {
        return "boolean field " + name + " has no compile-time value; a body reads booleans (such as keepDims) only"
                + " from literals and static final constants";
    }

    public static String privateFieldNotConstant(String name, String owner) {
        return "field " + name + " of " + owner + " is private and not a compile-time constant, so generated code"
                + " cannot read it: make it static final with a constant value, or not private";
    }

    /** The layer's mode flag read other than as the condition of {@code training ? a : b}. */
    public static String modeOutsideConditional(String name) {
        return name + " can only be the condition of a conditional expression in a layer body: write " + name
                + " ? a : b, where a (the training forward) and b (the inference forward) are tensors of the same shape";
    }

    public static String unknownName(String name, Collection<String> locals) {
        return name + " is not a parameter, local or constant of this loss" + Suggest.didYouMean(name, locals)
                + "; in scope: " + list(locals.stream().sorted().toList());
    }

    public static String unknownCall(String callee, Collection<String> ops) {
        return "cannot find method " + callee + Suggest.didYouMean(callee.substring(callee.lastIndexOf('.') + 1), ops)
                + ": loss bodies call ops from dev.tapgrad.runtime.Ops (import static dev.tapgrad.runtime.Ops.*;),"
                + " helper methods of the model or static helpers of this compilation, or methods annotated @Differentiable";
    }

    public static String opNotImported(String callee) {
        return "cannot find method " + callee + ": it is an op of dev.tapgrad.runtime.Ops; add"
                + " import static dev.tapgrad.runtime.Ops.*; (or write Ops." + callee + ")";
    }

    public static String noMatchingOverload(String callee, List<ArgKind> kinds, String candidate) {
        return "no " + callee + " takes (" + kinds.stream().map(ArgKind::javaName)
                .collect(Collectors.joining(", ")) + "); found " + candidate;
    }

    public static String noDerivativeRule(String callee, String owner, String why) {
        return "call to " + callee + " (" + owner + ") has no derivative rule: " + why;
    }

    public static String reexportWithoutOp(String callee, String facade, String target) {
        return "call to " + callee + " (" + facade + ") has no derivative rule: its @Reexport names " + target
                + ", which has no public static @Differentiable method of that name and those parameters";
    }

    public static String missingAdjoint(String callee, List<String> missing, String owner) {
        return callee + " names adjoint " + list(missing) + " in @Differentiable, but " + owner
                + " has no such public static method with the op's parameters plus (Tensor out, Tensor g)";
    }

    public static String recursiveHelper(List<String> chain) {
        return "recursive call " + String.join(" → ", chain) + ": a loss body is differentiated by inlining the methods it calls, "
                + "which needs a fixed depth; write the recursion out or use an op from dev.tapgrad.runtime.Ops";
    }

    public static String constantLoss(String method) {
        return method + " returns a value that does not depend on any of its taps, so it has no gradient: "
                + "compute the loss from the tapped tensors";
    }

    public static String noGradientForArgument(String callee, int index) {
        return callee + " has no derivative with respect to argument " + (index + 1)
                + ", but that argument depends on a tap: pass a constant there";
    }
}
