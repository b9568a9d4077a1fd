package dev.tapgrad.processor.diag;

import static dev.tapgrad.processor.diag.Messages.list;

import java.util.Collection;
import java.util.List;

/**
 * Messages about {@code @CustomLayer} classes and their uses (DESIGN §2 row 12, tag CustomLayer;
 * a body that cannot be differentiated or typed keeps the loss bodies' tags, NotDifferentiable and
 * BodyShape).
 */
public final class CustomLayerMessages {
    private CustomLayerMessages() {}

    /** How a call method looks, for the fixes below. */
    private static final String CALL_FORM = "Tensor call(Tensor x) { ... } (several inputs: Tensor call(Tensor a, Tensor b);"
            + " the mode: a trailing boolean training)";

    public static String noCall(String layer) {
        return "@CustomLayer " + layer + " has no call method: declare its forward body as " + CALL_FORM;
    }

    public static String secondCall(String layer) {
        return "@CustomLayer " + layer + " declares call more than once: a layer has one forward body; merge them into one "
                + CALL_FORM;
    }

    public static String callSignature(String layer, String problem) {
        return "call of @CustomLayer " + layer + " " + problem + ": write it as " + CALL_FORM;
    }

    public static String classForm(String layer, String problem) {
        return "@CustomLayer " + layer + " " + problem;
    }

    public static String weightField(String layer, String field, String problem) {
        return "@Weight " + field + " of " + layer + " " + problem;
    }

    public static String unknownSymbol(String layer, String field, String entry, Collection<String> symbols) {
        return "@Weight " + field + " of " + layer + ": shape entry \"" + entry + "\" is neither a positive integer nor a symbol;"
                + " symbols: " + list(List.copyOf(symbols)) + Suggest.didYouMean(entry, symbols);
    }

    public static String outputNotInferable(String layer, String shape, String why) {
        return "the output shape of @CustomLayer " + layer + " cannot be inferred from its body: it returns " + shape + ", "
                + why;
    }

    public static String arity(String kind, String layer, int expected, List<String> params, int given) {
        return kind + " " + layer + ": call takes " + expected + " input" + (expected == 1 ? "" : "s") + " ("
                + String.join(", ", params) + ") but the layer is given " + given + "; "
                + (expected == 1 ? "remove @Layer(inputs) or name one input" : "name " + expected + " layers in @Layer(inputs = {...})");
    }

    public static String bodyDoesNotFit(String kind, String layer, String inputs, String problem) {
        return kind + " " + layer + ": its call body does not fit the inputs " + inputs + ": " + problem;
    }

    public static String definitionHasErrors(String field, String kind) {
        return "layer " + field + " is a " + kind + ", whose @CustomLayer class has errors (reported on it): fix them first";
    }

    public static String notCompiled(String field, String kind, String generated) {
        return "layer " + field + " is a " + kind + ", a @CustomLayer class compiled without Tapgrad's processor (its " + generated
                + " is missing from the class path): compile " + kind + " with tapgrad-processor on the processor path";
    }
}
