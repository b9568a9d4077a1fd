package dev.tapgrad.processor.diag;

import dev.tapgrad.processor.ir.OpSignature.ArgKind;
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

    public static String tapOrderSwapped(String method, String param, int index, String tap) {
        return "parameter " + param + " of " + method + " receives tap \"" + tap + "\" (taps bind to parameters in order, "
                + "this is parameter " + (index + 1) + "), but " + param + " is another of its taps: put the parameters in tap order";
    }

    public static String parameterNamedLikeOtherLayer(String method, String param, String tap) {
        return "parameter " + param + " of " + method + " receives tap \"" + tap + "\", not layer " + param
                + " (taps bind by position, not by name): rename the parameter or change the tap";
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
        return "no " + callee + " takes (" + kinds.stream().map(ArgKind::javaName)
                .collect(Collectors.joining(", ")) + "); found " + candidate;
    }

    public static String noDerivativeRule(String callee, String owner) {
        return "call to " + callee + " (" + owner + ") has no derivative rule: use an op from dev.tapgrad.runtime.Ops, "
                + "or annotate a public static method with @Differentiable(adjoint = ..., shape = ...)";
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

    // ---- shapes (LayerShape, BodyShape) ---------------------------------------------------

    public static String layerShape(String kind, String layer, String needs, String from, String gives, String fix) {
        return kind + " " + layer + " needs " + needs + ", but " + from + " gives " + gives + ": " + fix;
    }

    public static String mergeShapes(String kind, String layer, List<String> from, List<String> shapes, String rule) {
        StringBuilder sb = new StringBuilder(kind + " " + layer + " cannot join ");
        for (int i = 0; i < from.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(from.get(i)).append(' ').append(shapes.get(i));
        }
        return sb.append(": ").append(rule).toString();
    }

    public static String broadcast(String callee, String a, String b, String why) {
        return callee + "(" + a + ", " + b + "): " + why;
    }

    // Loss bodies (BodyShape). Each message starts with the call as the checker sees it, tensors
    // by shape and constants as written, e.g. "sum((B, 64), 2, true)".

    public static String constantNotLiteral(String call, String what, String found) {
        return call + ": " + what + " must be an int literal such as 1 or -1, so that Tapgrad can check shapes"
                + " at compile time; found " + found;
    }

    public static String axisOutOfRange(String call, int axis, String shape, int rank) {
        return call + ": axis " + axis + " is out of range for " + shape + "; "
                + (rank == 0 ? "a scalar has no axes" : "valid axes are " + -rank + ".." + (rank - 1)
                        + " (negative axes count from the end)");
    }

    public static String expandAxisOutOfRange(String call, int axis, String shape, int rank) {
        return call + ": position " + axis + " is out of range for " + shape + "; a new axis goes at "
                + -(rank + 1) + ".." + rank + " (-1 appends it)";
    }

    public static String axisNotInArgument(String call, int axis, String shape) {
        return call + ": axis " + axis + " of the broadcast shape is not an axis of the argument " + shape
                + ", which has fewer dimensions; count from the end instead, e.g. -1";
    }

    public static String needsLastAxis(String call, String op) {
        return call + ": " + op + " works along the last axis, but its argument is a scalar ()";
    }

    public static String transposeRank(String call, String shape, int rank) {
        return call + ": transpose swaps the last two axes, but " + shape + " has " + rank
                + (rank == 1 ? "; use expandDims(x, 0) or expandDims(x, -1) first" : "");
    }

    public static String matmulRank(String call) {
        return call + ": matmul multiplies two rank-2 matrices (m, k)·(k, n) or two rank-3 batches"
                + " (b, m, k)·(b, k, n)";
    }

    public static String matmulInner(String call, String k1, String k2, String fix) {
        return call + ": inner dimensions " + k1 + " and " + k2 + " differ" + fix;
    }

    public static String matmulTransposeHint(String which, String a, String b) {
        return "; did you mean transpose(...)? " + which + " multiplies " + a + " by " + b;
    }

    public static String matmulInnerRule() {
        return "; the last dimension of the first argument must equal the second-to-last of the second";
    }

    public static String matmulBatch(String call, String b1, String b2) {
        return call + ": the leading (batch) dimensions " + b1 + " and " + b2 + " differ; a batched matmul pairs"
                + " the matrices one to one";
    }

    public static String reshapeTwoInferred(String call) {
        return call + ": only one dimension may be -1 (inferred from the size)";
    }

    public static String reshapeNegative(String call, int dim) {
        return call + ": dimension " + dim + " is negative; only -1 may stand for a dimension to infer";
    }

    public static String reshapeBatchFirst(String call, String shape, String example) {
        return call + ": " + shape + " carries the batch dimension B, which must stay first: write -1 for it, e.g. "
                + example;
    }

    public static String reshapeBatchNotFirst(String call, String shape) {
        return call + ": the batch dimension B is not the first axis of " + shape + ", so reshape cannot keep it;"
                + " transpose it back to the front first";
    }

    public static String reshapeSize(String call, String holds, String target, String targetHolds) {
        return call + ": " + holds + ", but " + target + " holds " + targetHolds;
    }

    public static String reshapeIndivisible(String call, long size, long block) {
        return call + ": " + size + " values do not split into blocks of " + block + " for the -1";
    }

    public static String shapeRuleNeedsConstant(String call, String op, String rule, String param) {
        return call + ": " + op + " declares shape = ShapeRule." + rule + " but has no " + param
                + " parameter for it: fix the op's @Differentiable";
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

    public static String unknownInput(String input, String layer, String model, List<String> layers, String didYouMean) {
        return "input \"" + input + "\" of layer " + layer + " names no other layer of " + model + "; layers: "
                + list(layers) + ", and \"input\" for the model's input" + didYouMean;
    }

    public static String reservedLayerName(String name, String why) {
        return "a layer may not be named " + name + ": " + why
                + (name.equals("input") ? " (inputs = {\"input\"} means the model's input)" : "") + "; rename the field";
    }

    public static String mergeNeedsInputs(String kind, String layer) {
        return kind + " " + layer + " joins several layers: name them, e.g. @Layer(inputs = {\"a\", \"b\"})";
    }

    public static String tooManyInputs(String kind, String layer, int count) {
        return kind + " " + layer + " reads one input but inputs names " + count
                + ": join them first with an Add or Concatenate layer";
    }

    public static String cycle(List<String> cycle) {
        return "the layers form a cycle, " + String.join(" → ", cycle) + " (each reads the next as its input)"
                + ": a model is a directed acyclic graph; break the loop";
    }

    public static String unreachableLayer(String layer, String output) {
        return "layer " + layer + " is computed but its output reaches neither the model's output " + output
                + " nor any loss: remove it, wire it in with inputs = {...}, or tap it";
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

    public static String graphNameTaken(String model, String graph) {
        return "class " + graph + " is already declared, but Tapgrad generates " + graph + " from the model " + model
                + ": rename this class (or the model)";
    }

    public static String constructorThrows(String model, String exceptions) {
        return model + "() throws " + exceptions + ", which the generated " + model + "Graph's constructor does not declare:"
                + " catch it inside " + model + "()";
    }

    public static String abstractMethod(String model, String method, String owner) {
        return method + " is abstract (declared in " + owner + ") and the generated " + model
                + "Graph does not implement it: give it a body in " + model + ", or remove it";
    }

    public static String layerFieldForm(String field) {
        return "layer field " + field + " is private or final, so " + "the generated subclass cannot set it: declare it package-private and non-final";
    }

    // ---- loss kinds (LossOutput) ----------------------------------------------------------

    public static String noMainLoss(String model) {
        return model + " has no main loss: set @Model(loss = CATEGORICAL_CROSSENTROPY or MSE), or declare a @Loss method "
                + "Tensor loss(Tensor yTrue, Tensor yPred, ...)";
    }

    public static String lossMethodNamedLoss() {
        return "the @Loss method is named loss, which is also the key of the weighted total in evaluate() and History; "
                + "with @AuxLoss terms the two differ, so only Gradients.terms() shows this term: give the method another name";
    }

    public static String crossentropyOnSigmoid(String layer) {
        return "categorical_crossentropy on the sigmoid outputs of " + layer + ": each row is renormalised to sum to 1 "
                + "(as Keras does), which is rarely intended; use activation = SOFTMAX, or suppress with "
                + "@SuppressWarnings(\"tapgrad:lossoutput\")";
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
