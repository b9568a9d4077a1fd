package dev.tapgrad.processor.ad;

import dev.tapgrad.processor.ad.ir.Instr;
import dev.tapgrad.processor.ad.ir.Operand;
import dev.tapgrad.processor.ad.ir.Program;
import dev.tapgrad.processor.ad.ir.Value;
import dev.tapgrad.processor.diag.Messages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DESIGN §2 row 5: propagates shapes through a loss body with each op's declared shape rule and
 * reports the first expression whose shapes do not fit, and a result that is not a scalar. The
 * batch dimension is the symbol {@code B}.
 */
public final class BodyShapes {
    private BodyShapes() {}

    /** The shape of every value, or null if an expression does not fit (the report says where). */
    public static Map<Value, Shape> infer(Program p, List<Shape> inputShapes, Report r) {
        Map<Value, Shape> shapes = new HashMap<>();
        for (int i = 0; i < p.inputs().size(); i++) {
            shapes.put(p.inputs().get(i), inputShapes.get(i));
        }
        for (Instr in : p.instrs()) {
            List<Shape> args = new ArrayList<>();
            for (Operand o : in.args()) {
                if (o instanceof Operand.Var v) {
                    args.add(shapes.get(v.value()));
                }
            }
            Shape out = switch (in.op().shape()) {
                case SAME -> args.get(0);
                case SCALAR -> Shape.SCALAR;
                case BROADCAST -> broadcast(in, args, r);
            };
            if (out == null) {
                return null;
            }
            shapes.put(in.result(), out);
        }
        Shape result = shapes.get(p.result());
        if (!result.isScalar()) {
            r.error(Tag.BODY_SHAPE, p.resultOrigin(), Messages.lossNotScalar(p.name(), result.toString()));
            return null;
        }
        return shapes;
    }

    private static Shape broadcast(Instr in, List<Shape> args, Report r) {
        Shape acc = args.get(0);
        for (int i = 1; i < args.size(); i++) {
            Shape next = args.get(i);
            String problem = null;
            if (acc.batched() && next.batched() && acc.rank() != next.rank()) {
                problem = "both operands carry the batch axis but their ranks differ (" + acc.rank() + " and " + next.rank()
                        + "); Tapgrad does not promote ranks implicitly: reshape or expand one operand first";
            }
            Shape merged = problem == null ? merge(acc, next) : null;
            if (merged == null) {
                r.error(Tag.BODY_SHAPE, in.origin(), Messages.broadcast(in.op().method(), acc.toString(), next.toString(),
                        problem != null ? problem : "the shapes do not broadcast (trailing dimensions must be equal or 1)"));
                return null;
            }
            acc = merged;
        }
        return acc;
    }

    /** NumPy broadcasting where {@code B} matches only {@code B} or 1; null if incompatible. */
    private static Shape merge(Shape a, Shape b) {
        List<String> x = a.dimNames();
        List<String> y = b.dimNames();
        int rank = Math.max(x.size(), y.size());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            String dx = i < rank - x.size() ? "1" : x.get(i - (rank - x.size()));
            String dy = i < rank - y.size() ? "1" : y.get(i - (rank - y.size()));
            if (dx.equals(dy) || dy.equals("1")) {
                out.add(dx);
            } else if (dx.equals("1")) {
                out.add(dy);
            } else {
                return null;
            }
        }
        boolean batched = !out.isEmpty() && out.get(0).equals("B");
        if (out.subList(batched ? 1 : 0, out.size()).contains("B")) {
            return null; // the batch axis would move away from the front
        }
        return new Shape(batched, out.subList(batched ? 1 : 0, out.size()).stream().map(Integer::parseInt).toList());
    }
}
