package dev.tapgrad.processor.diag;

import java.util.Locale;

/**
 * The messages about built-in losses and metrics (DESIGN §2 rows 9 and 13, and the sparse
 * crossentropy's class ids in loss bodies): what does not fit, the names involved, and the fix.
 * A catalogue of its own beside {@link LossMessages} (taps, signatures, weights), in the same style.
 */
public final class LossOutputMessages {
    private LossOutputMessages() {}

    private static String key(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    // ---- loss vs output (LossOutput) ------------------------------------------------------

    public static String needsProbabilities(Enum<?> loss, String layer, String activation, String wanted) {
        return key(loss) + " needs probabilities, but the output layer " + layer + " has activation " + activation
                + ": use activation = " + wanted + " on " + layer + ", or declare @Model(fromLogits = true) to train it"
                + " on logits";
    }

    public static String sparseOnSigmoid(String layer) {
        return "sparse_categorical_crossentropy on the sigmoid outputs of " + layer + ": each row is renormalised to sum"
                + " to 1 (as Keras does), which is rarely intended; use activation = SOFTMAX, or suppress with "
                + "@SuppressWarnings(\"tapgrad:lossoutput\")";
    }

    public static String oneClass(String layer) {
        return "sparse_categorical_crossentropy needs two or more classes, but the output layer " + layer
                + " has 1 unit, so every label would have to be 0: for two classes use units = 1, activation = SIGMOID"
                + " with loss = BINARY_CROSSENTROPY, or units = 2, activation = SOFTMAX";
    }

    public static String softmaxOfOne(Enum<?> loss, String layer) {
        return key(loss) + " on " + layer + ", one softmax unit: its output is always 1, so nothing can be learned;"
                + " use activation = SIGMOID for one unit";
    }

    public static String logitsNeedCrossentropy(Enum<?> loss) {
        return "fromLogits = true applies to the crossentropy losses (CATEGORICAL_CROSSENTROPY, "
                + "SPARSE_CATEGORICAL_CROSSENTROPY, BINARY_CROSSENTROPY), not to " + (loss == null ? "a @Loss method"
                        : loss.name()) + ": remove fromLogits";
    }

    public static String logitsAfterSquashing(Enum<?> loss, String layer, String activation) {
        String own = loss.name().equals("BINARY_CROSSENTROPY") ? "a sigmoid" : "a softmax";
        return "fromLogits = true, but the output layer " + layer + " has activation " + activation + ": the loss"
                + " applies " + own + " again (double squashing)"
                + "; use activation = LINEAR on " + layer + " with fromLogits, or remove fromLogits, or suppress with "
                + "@SuppressWarnings(\"tapgrad:lossoutput\")";
    }

    // ---- metric vs loss (MetricLoss) ------------------------------------------------------

    public static String accuracyOnRegression(Enum<?> metric, Enum<?> loss) {
        return key(metric) + " counts correct classes, but " + loss.name() + " is a regression loss: the labels are"
                + " numbers, not classes; report MAE or MSE instead, or use a classification loss";
    }

    public static String metricNeedsClassIds(Enum<?> metric, Enum<?> loss) {
        return key(metric) + " needs class-id labels, which only loss = SPARSE_CATEGORICAL_CROSSENTROPY takes, not "
                + (loss == null ? "a @Loss method" : loss.name()) + ": use ACCURACY or CATEGORICAL_ACCURACY";
    }

    public static String metricNeedsRows(Enum<?> metric) {
        return key(metric) + " compares labels with predictions of the same shape, but with "
                + "SPARSE_CATEGORICAL_CROSSENTROPY the labels are class ids: use ACCURACY or "
                + "SPARSE_CATEGORICAL_ACCURACY";
    }

    // ---- loss bodies (BodyShape) ------------------------------------------------------------

    public static String classIdsNeedClasses(String call) {
        return call + ": the predictions need a last axis of classes";
    }

    public static String classIdsShape(String call, String ids, String idsWithOne) {
        return call + ": the labels must be one class id per row of the predictions, of shape " + ids + " or "
                + idsWithOne;
    }
}
