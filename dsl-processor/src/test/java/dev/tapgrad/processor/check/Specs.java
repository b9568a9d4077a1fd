package dev.tapgrad.processor.check;

import dev.tapgrad.Activation;
import dev.tapgrad.LossKind;
import dev.tapgrad.Metric;
import dev.tapgrad.Padding;
import dev.tapgrad.processor.diag.Diagnostic;
import dev.tapgrad.processor.diag.Origin;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.layers.Conv2DType;
import dev.tapgrad.processor.layers.DenseType;
import dev.tapgrad.processor.layers.FlattenType;
import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.ClassForm;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LossParameter;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.TapRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-built model specs for checks run without javac. */
final class Specs {
    private Specs() {}

    /** A named position, so a test can tell which element or value a diagnostic points at. */
    record At(String where) implements Origin {}

    static ModelSpec model(List<Integer> input, List<LayerSpec> layers, List<AuxLossSpec> aux) {
        ClassForm form = new ClassForm(false, false, false, false, false, true, List.of(), Origin.NONE);
        return new ModelSpec("demo", "Net", input, Origin.NONE, LossKind.CATEGORICAL_CROSSENTROPY, Origin.NONE,
                List.of(Metric.ACCURACY), layers, aux, null, form, Origin.NONE);
    }

    static LayerSpec dense(String name, int units) {
        return new LayerSpec(name, new DenseType(), new LayerAttributes(units, 0, List.of(), List.of(), Padding.VALID,
                Activation.SOFTMAX, explicit(name, "units", "activation")), new At(name));
    }

    static LayerSpec flatten(String name) {
        return new LayerSpec(name, new FlattenType(), new LayerAttributes(0, 0, List.of(), List.of(), Padding.VALID,
                Activation.LINEAR, Map.of()), new At(name));
    }

    static LayerSpec conv(String name, int filters, List<Integer> kernel, List<Integer> strides, Padding padding) {
        List<String> written = new ArrayList<>(List.of("filters", "kernel", "padding"));
        if (!strides.isEmpty()) {
            written.add("strides");
        }
        return new LayerSpec(name, new Conv2DType(), new LayerAttributes(0, filters, kernel, strides, padding,
                Activation.RELU, explicit(name, written.toArray(String[]::new))), new At(name));
    }

    /** Each attribute's origin is {@code At("layer.attribute")}. */
    private static Map<String, Origin> explicit(String layer, String... attributes) {
        Map<String, Origin> out = new LinkedHashMap<>();
        for (String a : attributes) {
            out.put(a, new At(layer + "." + a));
        }
        return out;
    }

    /** An aux loss with one Tensor parameter per tap; each tap's origin is {@code At("tap:text")}. */
    static AuxLossSpec aux(String method, double weight, String... taps) {
        List<TapRef> refs = new ArrayList<>();
        List<LossParameter> params = new ArrayList<>();
        for (int i = 0; i < taps.length; i++) {
            refs.add(TapRef.parse(taps[i], new At("tap:" + taps[i])));
            params.add(new LossParameter("t" + i, true, "dev.tapgrad.runtime.Tensor", Origin.NONE));
        }
        return new AuxLossSpec(method, refs, weight, new At("weight:" + method), new At("taps:" + method), params, true,
                "dev.tapgrad.runtime.Tensor", false, false, null, new At(method));
    }

    /** The SparseCnn of DESIGN §1 case 1, with the given aux losses. */
    static ModelSpec sparseCnn(AuxLossSpec... aux) {
        return model(List.of(28, 28, 1), List.of(conv("conv1", 32, List.of(3), List.of(), Padding.VALID),
                flatten("flat"), dense("out", 10)), List.of(aux));
    }

    /** The report's items as {@code [Tag] message @ origin}, for exact comparisons. */
    static List<String> lines(Report r) {
        return r.items().stream().map(Specs::line).toList();
    }

    static String line(Diagnostic d) {
        return d.severity() + " " + d.text() + " @ " + d.origin();
    }
}
