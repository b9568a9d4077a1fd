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
 * DESIGN §2 row 5: propagates shapes through a loss body with each op's declared shape rule
 * ({@link ShapeRules}) and reports the first expression whose shapes do not fit, and a result that
 * is not a scalar. The batch dimension is the symbol {@code B}; inside a body it may move off the
 * first axis ({@code transpose}) or appear twice ({@code matmul(u, transpose(u))} is
 * {@code (B, B)}).
 */
public final class BodyShapes {
    private BodyShapes() {}

    /**
     * The shape of every value whose batch dimension, if any, is its first axis (every input, and
     * most intermediates), or null if an expression does not fit (the report says where).
     */
    public static Map<Value, Shape> infer(Program p, List<Shape> inputShapes, Report r) {
        Map<Value, Dims> dims = new HashMap<>();
        for (int i = 0; i < p.inputs().size(); i++) {
            dims.put(p.inputs().get(i), Dims.of(inputShapes.get(i)));
        }
        for (Instr in : p.instrs()) {
            List<Dims> args = new ArrayList<>();
            for (Operand o : in.args()) {
                if (o instanceof Operand.Var v) {
                    args.add(dims.get(v.value()));
                } else if (o instanceof Operand.TensorConst) {
                    args.add(Dims.UNKNOWN);
                }
            }
            Dims out = new ShapeRules(in, args, r).apply();
            if (out == null) {
                return null;
            }
            dims.put(in.result(), out);
        }
        Dims result = dims.get(p.result());
        if (result != null && result.known() && !result.isScalar()) {
            r.error(Tag.BODY_SHAPE, p.resultOrigin(), Messages.lossNotScalar(p.name(), result.toString()));
            return null;
        }
        Map<Value, Shape> shapes = new HashMap<>();
        dims.forEach((v, d) -> {
            Shape s = d.toShape();
            if (s != null) {
                shapes.put(v, s);
            }
        });
        return shapes;
    }
}
