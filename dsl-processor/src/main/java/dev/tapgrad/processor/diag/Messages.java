package dev.tapgrad.processor.diag;

import dev.tapgrad.processor.ad.ir.OpSignature.ArgKind;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The message catalogue: every text the processor prints, in one place, so wording stays
 * consistent and each message says what is wrong, the names or shapes involved, and how to fix it.
 * The tag that goes with each message is chosen by the caller from {@link Tag}.
 */
public final class Messages {
    private Messages() {}

    private static String list(Collection<String> names) {
        return names.isEmpty() ? "(none)" : String.join(", ", names);
    }

    // ---- taps (UnknownTap) ----------------------------------------------------------------

    public static String unknownLayerTap(String tap, String model, List<String> layers) {
        return "tap \"" + tap + "\" names no layer of " + model + "; layers: " + list(layers)
                + Suggest.didYouMean(tap, layers);
    }

    public static String unknownParamTap(String tap, String layer, List<String> params) {
        return "tap \"" + tap + "\" names no parameter of layer " + layer + "; its parameters: "
                + (params.isEmpty() ? "none (" + layer + " has no weights; tap its output \"" + layer + "\" instead)"
                        : list(params.stream().map(p -> layer + "." + p).toList())
                                + Suggest.closest(tap.substring(tap.indexOf('.') + 1), params)
                                        .map(p -> " (did you mean " + layer + "." + p + "?)").orElse(""));
    }

    public static String emptyTap() {
        return "an @AuxLoss needs at least one tap: tap = \"layer\" or tap = \"layer.param\"";
    }

    // ---- loss signatures (LossSignature) ----------------------------------------------------

    public static String tapCountMismatch(String method, int taps, int params, List<String> tapNames) {
        return method + " has " + params + " parameter" + (params == 1 ? "" : "s") + " but " + taps
                + " tap" + (taps == 1 ? "" : "s") + " (" + list(tapNames) + "): declare one Tensor parameter per tap, in tap order";
    }

    public static String parameterNotTensor(String method, String param, String type) {
        return "parameter " + param + " of " + method + " has type " + type
                + "; a tapped value is a Tensor: declare it as Tensor " + param;
    }

    public static String returnNotTensor(String method, String type) {
        return method + " returns " + type + "; a loss returns a scalar Tensor, e.g. return mean(abs(x));";
    }

    public static String lossNotScalar(String method, String shape) {
        return method + " returns a " + shape + " tensor but a loss must be a scalar (): reduce it, e.g. mean(...) or sum(...)";
    }

    public static String abstractLoss(String method) {
        return method + " has no body: an @AuxLoss method computes the loss from its taps, e.g. { return mean(abs(x)); }";
    }

    public static String privateLoss(String method) {
        return method + " is private, so the generated subclass cannot call it for evaluation: make it package-private";
    }

    public static String missingReturn(String method) {
        return method + " never returns a value: end the body with return <scalar Tensor>;";
    }

    public static String returnsNothing(String method) {
        return method + " must return the loss: return <scalar Tensor>;";
    }

    public static String secondLossMethod(String method, String first) {
        return method + " is a second @Loss method (the first is " + first + "): a model has one main loss; "
                + "add further terms with @AuxLoss";
    }

    public static String tapOnLabelsOrPredictions(String method, String param) {
        return "parameter " + param + " of " + method + " has @Tap, but the first two parameters of a @Loss method are "
                + "the labels and the predictions: (Tensor yTrue, Tensor yPred, @Tap(\"layer\") Tensor act, ...)";
    }

    public static String lossParameterWithoutTap(String method, String param) {
        return "parameter " + param + " of " + method + " has no @Tap: after (yTrue, yPred) every parameter of a "
                + "@Loss method says what it reads, e.g. @Tap(\"hidden\") Tensor " + param;
    }

    public static String lossNeedsLabelsAndPredictions(String method, int count) {
        return method + " has " + count + " parameter" + (count == 1 ? "" : "s")
                + "; a @Loss method receives at least the labels and the predictions: Tensor " + method
                + "(Tensor yTrue, Tensor yPred, ...)";
    }

    public static String bothLosses(String model, String method, String kind) {
        return model + " declares both @Model(loss = " + kind + ") and the @Loss method " + method
                + ": keep one main loss (remove loss = ... to use " + method + ")";
    }

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
        return "field " + name + " of type " + type + " cannot be used in a loss body yet; only double constants are read from fields";
    }

    public static String unknownName(String name, Collection<String> locals) {
        return name + " is not a parameter, local or constant of this loss" + Suggest.didYouMean(name, locals)
                + "; in scope: " + list(locals.stream().sorted().toList());
    }

    public static String unknownCall(String callee) {
        return "cannot find method " + callee + ": loss bodies call ops from dev.tapgrad.runtime.Ops "
                + "(import static dev.tapgrad.runtime.Ops.*;) or methods annotated @Differentiable";
    }

    public static String noMatchingOverload(String callee, List<ArgKind> kinds, String candidate) {
        return "no " + callee + " takes (" + kinds.stream().map(k -> k == ArgKind.TENSOR ? "Tensor" : "double")
                .collect(Collectors.joining(", ")) + "); found " + candidate;
    }

    public static String noDerivativeRule(String callee, String owner) {
        return "call to " + callee + " (" + owner + ") has no derivative rule: use an op from dev.tapgrad.runtime.Ops, "
                + "or annotate a public static method with @Differentiable(adjoint = ..., shape = ...)";
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

    // ---- shapes (LayerShape, BodyShape) ---------------------------------------------------

    public static String layerShape(String kind, String layer, String needs, String from, String gives, String fix) {
        return kind + " " + layer + " needs " + needs + ", but " + from + " gives " + gives + ": " + fix;
    }

    public static String broadcast(String callee, String a, String b, String why) {
        return callee + "(" + a + ", " + b + "): " + why;
    }

    // ---- attributes (LayerAttribute) ------------------------------------------------------

    public static String notApplicable(String attr, String kind, String layer, Collection<String> accepted) {
        return "@Layer attribute " + attr + " does not apply to " + kind + " " + layer + "; " + kind + " accepts: "
                + (accepted.isEmpty() ? "no attributes" : list(accepted.stream().sorted().toList()))
                + Suggest.didYouMean(attr, accepted);
    }

    public static String missingAttribute(String attr, String kind, String layer, String example) {
        return kind + " " + layer + " needs " + attr + ", e.g. @Layer(" + example + ")";
    }

    public static String badAttribute(String attr, String layer, String value, String rule) {
        return attr + " = " + value + " on layer " + layer + " is invalid: " + rule;
    }

    public static String unknownLayerType(String field, String type, Collection<String> known) {
        return "field " + field + " has type " + type + ", which is not a Tapgrad layer; use one of "
                + list(known) + " from dev.tapgrad.runtime.layers" + Suggest.didYouMean(type, known);
    }

    public static String badInput(String value, String rule) {
        return "input = " + value + " is invalid: " + rule;
    }

    public static String noLayers(String model) {
        return model + " declares no @Layer fields: add at least one, e.g. @Layer(units = 10, activation = SOFTMAX) Dense out;";
    }

    public static String duplicateLayer(String name) {
        return "two layers are named " + name + ": every @Layer field needs a unique name";
    }

    public static String inputsNotSupportedYet(String layer) {
        return "@Layer(inputs = ...) on " + layer + " is not supported by this version yet; layers run in declaration order";
    }

    // ---- model class (ModelForm) ----------------------------------------------------------

    public static String classPrivate(String model) {
        return model + " is private, so the generated " + model + "Graph cannot extend it: make it package-private or public";
    }

    public static String classFinal(String model) {
        return model + " is final, so the generated " + model + "Graph cannot extend it: remove final (make it abstract)";
    }

    public static String classInner(String model) {
        return model + " is an inner class, so " + model + "Graph cannot extend it: declare " + model
                + " as a top-level class";
    }

    public static String classNested(String model) {
        return model + " is a nested class; the generated " + model + "Graph extends top-level model classes only: declare "
                + model + " as a top-level class";
    }

    public static String notAClass(String model) {
        return "@Model goes on an abstract class; " + model + " is not a class";
    }

    public static String noConstructor(String model) {
        return model + " has no constructor without parameters that " + model + "Graph can call: add " + model + "() {}";
    }

    public static String layerFieldForm(String field) {
        return "layer field " + field + " is private or final, so " + "the generated subclass cannot set it: declare it package-private and non-final";
    }

    // ---- loss kinds (LossOutput) ----------------------------------------------------------

    public static String noMainLoss(String model) {
        return model + " has no main loss: set @Model(loss = CATEGORICAL_CROSSENTROPY or MSE), or declare a @Loss method "
                + "Tensor loss(Tensor yTrue, Tensor yPred, ...)";
    }

    public static String crossentropyNeedsProbabilities(String layer, String activation) {
        return "categorical_crossentropy needs probabilities, but the output layer " + layer + " has activation "
                + activation + ": use activation = SOFTMAX on " + layer;
    }

    // ---- weights (LossWeight) -------------------------------------------------------------

    public static String badWeight(String method, double weight) {
        return "weight = " + weight + " on " + method + " must be finite and greater than 0 "
                + "(it multiplies the term in loss = main + Σ weight·aux); to switch the term off, remove @AuxLoss";
    }

    // ---- environment ----------------------------------------------------------------------

    public static String noTrees(String compiler) {
        return "Tapgrad reads loss method bodies through javac's Trees API, which this compiler (" + compiler
                + ") does not offer: build with javac (Maven, Gradle or IntelliJ with the javac compiler); "
                + "Eclipse's compiler (ECJ) is not supported";
    }

    public static String internal(String model, Throwable t) {
        java.io.StringWriter sw = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(sw));
        return "internal error while processing " + model + " (a bug in Tapgrad; please report it with this trace): " + sw;
    }
}
