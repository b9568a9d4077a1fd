package dev.tapgrad.processor;

import com.palantir.javapoet.JavaFile;
import com.sun.source.util.Trees;
import dev.tapgrad.processor.ad.Reverse;
import dev.tapgrad.processor.codegen.CustomLayerWriter;
import dev.tapgrad.processor.diag.BodyShapeMessages;
import dev.tapgrad.processor.diag.CustomLayerMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.ir.Adjoint;
import dev.tapgrad.processor.ir.BodyShapes;
import dev.tapgrad.processor.ir.Instr;
import dev.tapgrad.processor.ir.IrCheck;
import dev.tapgrad.processor.ir.Operand;
import dev.tapgrad.processor.ir.Program;
import dev.tapgrad.processor.ir.Value;
import dev.tapgrad.processor.layers.CustomLayerType;
import dev.tapgrad.processor.model.Shape;
import dev.tapgrad.processor.read.CustomLayerReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * One {@code @CustomLayer} class through the phases: read and check (DESIGN §2 row 12), type its
 * body with the symbolic sizes {@code input}, {@code units}, {@code filters} (each input taken as
 * {@code (B, input)}), differentiate it, and generate its runtime layer. Nothing is generated when
 * there is an error.
 */
final class CustomLayerStep {
    private final Elements elements;
    private final Trees trees;

    CustomLayerStep(Elements elements, Trees trees) {
        this.elements = elements;
        this.trees = trees;
    }

    /** The outcome: the report, and the generated runtime layer when there was no error. */
    record Result(Report report, JavaFile file) {}

    Result run(TypeElement type) {
        Report report = new Report();
        CustomLayerType layer = new CustomLayerReader(elements, trees).fromSource(type, report);
        if (layer == null || report.hasErrors()) {
            return new Result(report, null);
        }
        List<Shape> shapes = new ArrayList<>();
        for (int i = 0; i < layer.inputNames().size(); i++) {
            shapes.add(new Shape(List.of(Shape.B, Shape.INPUT)));
        }
        layer.weights().forEach(w -> shapes.add(w.resolve(null)));
        Program typed = BodyShapes.types(layer.body(), shapes, report);
        if (typed == null) {
            return new Result(report, null);
        }
        Shape out = typed.result().shape();
        if (!out.batched() || out.sizes().lastIndexOf(Shape.B) != 0) {
            report.error(Tag.CUSTOM_LAYER, typed.resultOrigin(), CustomLayerMessages.outputNotInferable(
                    type.getSimpleName().toString(), out.toString(), out.known()
                            ? "but a layer's output must have the batch axis first, and only there"
                            : "whose shape is known only at run time (it comes from a tensor constant): compute it from the inputs and weights"));
            return new Result(report, null);
        }
        requireWellFormed(typed.name(), IrCheck.check(typed));
        Adjoint adjoint = Reverse.of(typed, report);
        if (adjoint == null) {
            return new Result(report, null);
        }
        requireWellFormed("the reverse pass of " + typed.name(), IrCheck.check(typed, adjoint));
        Program inference = null;
        Adjoint inferenceAdjoint = null;
        if (layer.inference() != null) {
            inference = BodyShapes.types(layer.inference().body(), shapes, report);
            if (inference == null || !sameBranchShapes(layer, typed, inference, report)) {
                return new Result(report, null);
            }
            requireWellFormed(inference.name(), IrCheck.check(inference));
            inferenceAdjoint = Reverse.of(inference, report);
            if (inferenceAdjoint == null) {
                return new Result(report, null);
            }
            requireWellFormed("the reverse pass of " + inference.name(), IrCheck.check(inference, inferenceAdjoint));
        }
        Set<String> members = new TreeSet<>();
        for (Element e : elements.getAllMembers(type)) {
            if (!e.getSimpleName().toString().startsWith("<")) {
                members.add(e.getSimpleName().toString());
            }
        }
        return new Result(report, new CustomLayerWriter(layer, typed, adjoint, inference, inferenceAdjoint, members).write());
    }

    /**
     * Whether each {@code training ? a : b} has branches of one shape, so the layer's output shape
     * does not depend on the mode; reported on the conditional otherwise.
     */
    private static boolean sameBranchShapes(CustomLayerType layer, Program training, Program inference, Report report) {
        for (CustomLayerType.Branches b : layer.inference().conditionals()) {
            Shape a = shapeOf(b.training(), training);
            Shape c = shapeOf(b.inference(), inference);
            if (a != null && c != null && a.known() && c.known() && !a.equals(c)) {
                report.error(Tag.BODY_SHAPE, b.at(), BodyShapeMessages.branchShapes(a.toString(), c.toString()));
                return false;
            }
        }
        return true;
    }

    /** The typed shape of an operand of the untyped body, found by its value's id; null for a constant. */
    private static Shape shapeOf(Operand o, Program typed) {
        if (!(o instanceof Operand.Var v)) {
            return null;
        }
        for (Value in : typed.inputs()) {
            if (in.id() == v.value().id()) {
                return in.shape();
            }
        }
        for (Instr in : typed.instrs()) {
            if (in.result().id() == v.value().id()) {
                return in.result().shape();
            }
        }
        return null;
    }

    private static void requireWellFormed(String what, List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("malformed IR for " + what + ": " + String.join("; ", problems));
        }
    }
}
