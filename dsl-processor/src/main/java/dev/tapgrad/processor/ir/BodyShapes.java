package dev.tapgrad.processor.ir;

import dev.tapgrad.processor.diag.LossMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DESIGN §2 row 5: types a loss body. Propagates shapes with each op's declared shape rule
 * ({@link ShapeRules}) and reports the first expression whose shapes do not fit, and a result that
 * is not a scalar. The batch dimension is the symbol {@code B}; inside a body it may move off the
 * first axis ({@code transpose}) or appear twice ({@code matmul(u, transpose(u))} is
 * {@code (B, B)}).
 */
public final class BodyShapes {
    private BodyShapes() {}

    /**
     * {@code p} with every value carrying its shape, the inputs taking {@code inputShapes}; or null
     * if an expression does not fit (the report says where).
     */
    public static Program infer(Program p, List<Shape> inputShapes, Report r) {
        Program typed = types(p, inputShapes, r);
        if (typed == null) {
            return null;
        }
        Shape result = typed.result().shape();
        if (result.known() && !result.isScalar()) {
            r.error(Tag.BODY_SHAPE, p.resultOrigin(), LossMessages.lossNotScalar(p.name(), result.toString()));
            return null;
        }
        return typed;
    }

    /**
     * {@code p} with every value carrying its shape, whatever the result's shape (a custom layer's
     * body returns a batch); or null if an expression does not fit (the report says where).
     */
    public static Program types(Program p, List<Shape> inputShapes, Report r) {
        Map<Value, Value> typed = new HashMap<>();
        List<Value> inputs = new ArrayList<>();
        for (int i = 0; i < p.inputs().size(); i++) {
            Value v = p.inputs().get(i).typed(inputShapes.get(i));
            typed.put(p.inputs().get(i), v);
            inputs.add(v);
        }
        List<Instr> instrs = new ArrayList<>();
        for (Instr in : p.instrs()) {
            List<Operand> args = new ArrayList<>();
            for (Operand o : in.args()) {
                args.add(o instanceof Operand.Var v ? new Operand.Var(typed.get(v.value())) : o);
            }
            Instr untyped = new Instr(in.result(), in.op(), args, in.origin());
            Shape out = new ShapeRules(untyped, tensorShapes(args), r).apply();
            if (out == null) {
                return null;
            }
            Value result = in.result().typed(out);
            typed.put(in.result(), result);
            instrs.add(new Instr(result, in.op(), args, in.origin()));
        }
        Value result = typed.get(p.result());
        return new Program(p.name(), inputs, instrs, result, p.resultOrigin());
    }

    /** The shape of each tensor operand, in order: a value's, or unknown for a tensor constant. */
    static List<Shape> tensorShapes(List<Operand> args) {
        List<Shape> shapes = new ArrayList<>();
        for (Operand o : args) {
            if (o instanceof Operand.Var v) {
                shapes.add(v.value().shape());
            } else if (o instanceof Operand.TensorConst c) {
                shapes.add(c.shape());
            }
        }
        return shapes;
    }
}
