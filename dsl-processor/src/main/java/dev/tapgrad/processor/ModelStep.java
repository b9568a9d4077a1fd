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
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.GraphShapes;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.Shape;
import dev.tapgrad.processor.model.TapRef;
import dev.tapgrad.processor.read.ModelReader;
import java.util.ArrayList;
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
    record Result(Report report, JavaFile file) {}

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
        for (AuxLossSpec aux : spec.auxLosses()) {
            if (aux.body() == null) {
                continue; // the reader reported why
            }
            List<Shape> tapShapes = aux.taps().stream().map(t -> tapShape(t, shapes)).toList();
            Map<Value, Shape> valueShapes = BodyShapes.infer(aux.body(), tapShapes, report);
            if (valueShapes == null) {
                continue;
            }
            Adjoint adjoint = Reverse.of(aux.body(), report);
            if (adjoint != null) {
                plans.add(new AuxPlan(aux, aux.body(), adjoint, valueShapes));
            }
        }
        if (report.hasErrors() || plans.size() != spec.auxLosses().size()) {
            return new Result(report, null);
        }
        return new Result(report, new GraphWriter(spec, shapes, plans).write());
    }

    private static Shape tapShape(TapRef tap, GraphShapes shapes) {
        return tap.isParameter() ? shapes.parameters().get(tap.text()) : shapes.outputs().get(tap.layer());
    }
}
