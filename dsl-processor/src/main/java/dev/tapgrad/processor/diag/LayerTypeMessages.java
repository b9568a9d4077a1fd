package dev.tapgrad.processor.diag;

import java.util.List;

/**
 * Messages of the pooling, Conv1D and Reshape layer types and of the attribute rules they brought
 * (DESIGN §2 row 11), kept apart from {@link Messages} so that catalogue can be split on its own.
 */
public final class LayerTypeMessages {
    private LayerTypeMessages() {}

    /** The rule of a one-axis length such as Conv1D's {@code kernel}. */
    public static final String SINGLE_RULE = "give one value of at least 1, e.g. kernel = 3";

    /** The rule of Reshape's {@code shape}. */
    public static final String TARGET_SHAPE_RULE =
            "give the shape without the batch, every dimension at least 1 except at most one -1 (inferred), e.g. shape = {7, 7, 16}";

    /** A window (pool or kernel) larger than the input under VALID padding. */
    public static String windowTooLarge(String kind, String layer, String window, List<Integer> size, String from,
            String gives) {
        String dims = size.size() == 1 ? size.get(0).toString() : size.get(0) + "x" + size.get(1);
        return LayerMessages.layerShape(kind, layer, "an input at least as large as its " + dims + " " + window, from, gives,
                "use a smaller " + window + " or padding = SAME");
    }

    /** A Reshape whose target does not hold the input's values. */
    public static String reshapeSize(String layer, List<Integer> target, long targetSize, String from, String gives,
            long inputSize) {
        return "Reshape " + layer + " to " + target + " needs " + (targetSize < 0 ? "a multiple of " + -targetSize
                : Long.toString(targetSize)) + " values per example, but " + from + " gives " + gives + ", which holds "
                + inputSize + ": the sizes must be equal, as in Keras (use -1 for one dimension to infer it)";
    }
}
