package dev.tapgrad.processor.layers;

import dev.tapgrad.processor.model.LayerType;
import java.util.List;

/**
 * The layer types a {@code @Layer} field may declare, found by the simple name of their runtime
 * class in {@code dev.tapgrad.runtime.layers}. Adding a built-in layer is one {@link LayerType}
 * file here and one line in {@link #BUILT_IN}.
 */
public final class LayerCatalogue {
    private LayerCatalogue() {}

    /** Every built-in layer type, in the order messages list them. */
    public static final List<LayerType> BUILT_IN = List.of(new DenseType(), new Conv2DType(), new FlattenType(),
            new LstmType(), new AddType(), new ConcatenateType(), new MaxPool2DType(), new AvgPool2DType(),
            new GlobalAvgPool2DType(), new GlobalMaxPool2DType(), new GlobalAvgPool1DType(), new GlobalMaxPool1DType(),
            new Conv1DType(), new ReshapeType(),
            new EmbeddingType(), new GruType(),
            new DropoutType(), new BatchNormType(), new LayerNormType());

    /** The type whose runtime class has this simple name, or null. */
    public static LayerType bySimpleName(String name) {
        return BUILT_IN.stream().filter(t -> t.simpleName().equals(name)).findFirst().orElse(null);
    }

    /** The simple names of every type, for "use one of" messages. */
    public static List<String> names() {
        return BUILT_IN.stream().map(LayerType::simpleName).toList();
    }
}
