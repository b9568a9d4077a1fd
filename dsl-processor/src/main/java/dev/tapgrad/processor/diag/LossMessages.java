package dev.tapgrad.processor.diag;

import static dev.tapgrad.processor.diag.Messages.list;

import java.util.List;

/**
 * Messages about loss methods: their taps, their signatures, the main loss's fit to the model's
 * output, and auxiliary-loss weights (tags UnknownTap, LossSignature, LossOutput, LossWeight).
 * The tag that goes with each message is chosen by the caller from {@link Tag}.
 */
public final class LossMessages {
    private LossMessages() {}

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
}
