package dev.tapgrad.processor;

import com.palantir.javapoet.JavaFile;
import com.sun.source.util.Trees;
import dev.tapgrad.processor.ad.Fusion;
import dev.tapgrad.processor.ad.PenaltyFusion;
import dev.tapgrad.processor.ad.PenaltyRule;
import dev.tapgrad.processor.ad.Reverse;
import dev.tapgrad.processor.ir.Adjoint;
import dev.tapgrad.processor.ir.BodyShapes;
import dev.tapgrad.processor.ir.IrCheck;
import dev.tapgrad.processor.ir.IrPrinter;
import dev.tapgrad.processor.ir.Program;
import dev.tapgrad.processor.ir.Value;
import dev.tapgrad.processor.check.AttributeCheck;
import dev.tapgrad.processor.check.AuxSignatureCheck;
import dev.tapgrad.processor.check.LayerShapeCheck;
import dev.tapgrad.processor.check.LossOutputCheck;
import dev.tapgrad.processor.check.MetricLossCheck;
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
import dev.tapgrad.processor.read.PenaltyRules;
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
    private final boolean fuse;

    /** @param fuse whether the penalty rewrite runs (off only to compare fused with unfused code) */
    ModelStep(Elements elements, Trees trees, boolean fuse) {
        this.elements = elements;
        this.trees = trees;
        this.fuse = fuse;
    }

    /**
     * The outcome: the report, and when there was no error the generated file, the summary
     * ({@code -Atapgrad.report}) and the printed IR of every loss ({@code -Atapgrad.printIr}).
     */
    record Result(Report report, JavaFile file, String summary, String ir) {
        Result(Report report, JavaFile file) {
            this(report, file, null, null);
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
        report.addAll(MetricLossCheck.run(spec, shapes));
        if (report.hasErrors()) {
            return new Result(report, null);
        }
        List<PenaltyRule> rules = fuse ? PenaltyRules.read(elements) : List.of();
        List<AuxPlan> plans = new ArrayList<>();
        for (AuxLossSpec loss : spec.lossMethods()) {
            AuxPlan plan = plan(loss, shapes, report, rules);
            if (plan != null) {
                plans.add(plan);
            }
        }
        if (report.hasErrors() || plans.size() != spec.lossMethods().size()) {
            return new Result(report, null);
        }
        Map<AuxLossSpec, Set<Integer>> reached = new java.util.IdentityHashMap<>();
        StringBuilder ir = new StringBuilder();
        for (AuxPlan p : plans) {
            Set<Integer> taps = new java.util.TreeSet<>();
            for (int i = 0; i < p.program().inputs().size(); i++) {
                if (p.adjoint().inputGradients().containsKey(p.program().inputs().get(i))) {
                    taps.add(i);
                }
            }
            reached.put(p.spec(), taps);
            ir.append(ir.length() > 0 ? "\n" : "").append(IrPrinter.print(p.program()))
                    .append(IrPrinter.print(p.program(), p.adjoint()));
            if (p.fusion() != null) {
                ir.append(p.fusion()).append('\n');
            }
        }
        String summary = ModelSummary.of(spec, shapes, reached);
        AuxPlan main = spec.lossMethod() == null ? null : plans.remove(0);
        return new Result(report, new GraphWriter(spec, shapes, main, plans, fuse).write(), summary, ir.toString());
    }

    /**
     * The typed body, reverse pass and penalty rewrite of one loss method, or null when its body is
     * rejected (reported). The IR is checked after each phase: a problem there is a processor bug.
     */
    private static AuxPlan plan(AuxLossSpec loss, GraphShapes shapes, Report report, List<PenaltyRule> rules) {
        if (loss.body() == null) {
            return null; // the reader reported why
        }
        List<Shape> tapShapes = loss.taps().stream().map(t -> tapShape(t, shapes)).toList();
        Program typed = BodyShapes.infer(loss.body(), tapShapes, report);
        if (typed == null) {
            return null;
        }
        requireWellFormed(typed.name(), IrCheck.check(typed));
        Set<Value> labels = new HashSet<>();
        for (int i = 0; i < loss.taps().size(); i++) {
            if (loss.taps().get(i).isLabels()) {
                labels.add(typed.inputs().get(i));
            }
        }
        Adjoint adjoint = Reverse.of(typed, labels, report);
        if (adjoint == null) {
            return null;
        }
        requireWellFormed("the reverse pass of " + typed.name(), IrCheck.check(typed, adjoint));
        Fusion fusion = PenaltyFusion.match(typed, rules);
        return new AuxPlan(loss, typed, adjoint, fusion);
    }

    private static void requireWellFormed(String what, List<String> problems) {
        if (!problems.isEmpty()) {
            throw new IllegalStateException("malformed IR for " + what + ": " + String.join("; ", problems));
        }
    }

    private static Shape tapShape(TapRef tap, GraphShapes shapes) {
        if (tap.isLabels()) {
            return shapes.outputs().get(shapes.lastLayer()); // labels are shaped like the predictions
        }
        return tap.isParameter() ? shapes.parameters().get(tap.text()) : shapes.outputs().get(tap.layer());
    }
}
