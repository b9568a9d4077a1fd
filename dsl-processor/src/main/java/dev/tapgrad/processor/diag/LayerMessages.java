package dev.tapgrad.processor.diag;

import static dev.tapgrad.processor.diag.Messages.list;

import java.util.Collection;
import java.util.List;

/**
 * Messages about layers: their shapes, their {@code @Layer} attributes, their field types and the
 * wiring between them (tags LayerShape, LayerAttribute, UnknownLayer, Wiring, and ModelForm for a
 * model without layers).
 * The tag that goes with each message is chosen by the caller from {@link Tag}.
 */
public final class LayerMessages {
    private LayerMessages() {}

    // ---- layer shapes (LayerShape) --------------------------------------------------------

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
                + list(known) + " from dev.tapgrad.runtime.layers" + Suggest.didYouMean(type, known)
                + ", or write your own: an abstract class annotated @CustomLayer with a Tensor call(Tensor x) body";
    }

    public static String badInput(String value, String rule) {
        return "input = " + value + " is invalid: " + rule;
    }

    // ---- layer fields and wiring (ModelForm, Wiring) --------------------------------------

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
}
