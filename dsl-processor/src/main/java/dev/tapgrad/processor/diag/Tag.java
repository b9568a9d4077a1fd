package dev.tapgrad.processor.diag;

/**
 * The stable tags of Tapgrad's diagnostics, one per kind of mistake (DESIGN §2). A tag never
 * changes meaning: users search for it, and docs/diagnostics.md has a page section per tag.
 */
public enum Tag {
    /** A tap or parameter name that names nothing. */
    UNKNOWN_TAP("UnknownTap"),
    /** A loss method whose parameters or return type do not fit its taps. */
    LOSS_SIGNATURE("LossSignature"),
    /** Code in a loss body that cannot be differentiated. */
    NOT_DIFFERENTIABLE("NotDifferentiable"),
    /** A layer that cannot take its input's shape. */
    LAYER_SHAPE("LayerShape"),
    /** A shape error inside a loss body. */
    BODY_SHAPE("BodyShape"),
    /** A {@code @Layer} attribute that is missing, out of range, or does not apply to the layer. */
    LAYER_ATTRIBUTE("LayerAttribute"),
    /** A field type that is not a Tapgrad layer, or a layer Tapgrad cannot build yet. */
    UNKNOWN_LAYER("UnknownLayer"),
    /** Wiring between layers (duplicate names, unknown inputs). */
    WIRING("Wiring"),
    /** A model class that cannot be subclassed by the generated code. */
    MODEL_FORM("ModelForm"),
    /** A main loss that does not fit the model's output. */
    LOSS_OUTPUT("LossOutput"),
    /** A metric that cannot be computed with the main loss's labels (accuracy on a regression loss). */
    METRIC_LOSS("MetricLoss"),
    /** An auxiliary-loss weight that is not finite and positive. */
    LOSS_WEIGHT("LossWeight"),
    /** A {@code @CustomLayer} class that cannot be a layer, or a use of one that does not fit it (DESIGN §2 row 12). */
    CUSTOM_LAYER("CustomLayer"),
    /** The compiler in use gives no access to method bodies. */
    UNSUPPORTED_COMPILER("UnsupportedCompiler"),
    /** A bug in Tapgrad itself. */
    INTERNAL("Internal");

    private final String id;

    Tag(String id) {
        this.id = id;
    }

    /** The tag as printed, e.g. {@code UnknownTap}. */
    public String id() {
        return id;
    }
}
