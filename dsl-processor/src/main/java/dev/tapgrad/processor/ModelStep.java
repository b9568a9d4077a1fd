package dev.tapgrad.processor;

import com.palantir.javapoet.JavaFile;
import com.sun.source.util.Trees;
import dev.tapgrad.processor.ad.Adjoint;
import dev.tapgrad.processor.ad.BodyShapes;
import dev.tapgrad.processor.ad.Reverse;
import dev.tapgrad.processor.ad.ir.Value;
import dev.tapgrad.processor.check.AttributeCheck;
import dev.tapgrad.processor.check.AuxSignatureCheck;
import dev.tapgrad.processor.check.LayerShapeCheck;
import dev.tapgrad.processor.check.LossOutputCheck;
import dev.tapgrad.processor.check.ModelFormCheck;
import dev.tapgrad.processor.check.TapCheck;
import dev.tapgrad.processor.check.WeightCheck;
import dev.tapgrad.processor.codegen.AuxPlan;
import dev.tapgrad.processor.codegen.GraphWriter;
import dev.tapgrad.processor.diag.ModelSummary;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.Shape;
import dev.tapgrad.processor.model.TapRef;
import dev.tapgrad.processor.read.ModelReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * One model class through the phases: read → check → differentiate → generate. Code is generated
 * only when reading and every check came back without errors; all findings are returned in one
 * report so a single compile shows every mistake.
 */
final class ModelStep {
    private final Elements elements;
    private final Trees trees;

    ModelStep(Elements elements, Trees trees) {
        this.elements = elements;
        this.trees = trees;
    }

    /** The outcome: the report, and the generated file when there was no error. */
    record Result(Report report, JavaFile file, String summary) {
        Result(Report report, JavaFile file) {
            this(report, file, null);
        }
    }

    Result run(TypeElement type) {
        Report report = new Report();
        ModelSpec spec = new ModelReader(elements, trees, report).read(type);
        report.addAll(ModelFormCheck.run(spec));
        report.addAll(AttributeCheck.run(spec));
        report.addAll(TapCheck.run(spec));
        report.addAll(AuxSignatureCheck.run(spec));
        report.addAll(WeightCheck.run(spec));
        report.addAll(LossOutputCheck.run(spec));
        if (report.hasErrors()) {
            return new Result(report, null);
        }
        GraphShapes shapes = LayerShapeCheck.run(spec, report);
        if (shapes == null) {
            return new Result(report, null);
        }
        List<AuxPlan> plans = new ArrayList<>();
        for (AuxLossSpec loss : spec.lossMethods()) {
            AuxPlan plan = plan(loss, shapes, report);
            if (plan != null) {
                plans.add(plan);
            }
        }
        if (report.hasErrors() || plans.size() != spec.lossMethods().size()) {
            return new Result(report, null);
        }
        AuxPlan main = spec.lossMethod() == null ? null : plans.remove(0);
        return new Result(report, new GraphWriter(spec, shapes, main, plans).write(), ModelSummary.of(spec, shapes));
    }

    /** Shapes and reverse pass of one loss method, or null when its body is rejected (reported). */
    private static AuxPlan plan(AuxLossSpec loss, GraphShapes shapes, Report report) {
        if (loss.body() == null) {
            return null; // the reader reported why
        }
        List<Shape> tapShapes = loss.taps().stream().map(t -> tapShape(t, shapes)).toList();
        Map<Value, Shape> valueShapes = BodyShapes.infer(loss.body(), tapShapes, report);
        if (valueShapes == null) {
            return null;
        }
        Set<Value> labels = new HashSet<>();
        for (int i = 0; i < loss.taps().size(); i++) {
            if (loss.taps().get(i).isLabels()) {
                labels.add(loss.body().inputs().get(i));
            }
        }
        Adjoint adjoint = Reverse.of(loss.body(), labels, report);
        return adjoint == null ? null : new AuxPlan(loss, loss.body(), adjoint, valueShapes);
    }

    private static Shape tapShape(TapRef tap, GraphShapes shapes) {
        if (tap.isLabels()) {
            return shapes.outputs().get(shapes.lastLayer()); // labels are shaped like the predictions
        }
        return tap.isParameter() ? shapes.parameters().get(tap.text()) : shapes.outputs().get(tap.layer());
    }
}
