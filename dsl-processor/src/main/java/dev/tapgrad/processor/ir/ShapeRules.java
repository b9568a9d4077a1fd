package dev.tapgrad.processor.ir;

import dev.tapgrad.ShapeRule;
import dev.tapgrad.processor.diag.BodyShapeMessages;
import dev.tapgrad.processor.diag.LossOutputMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import dev.tapgrad.processor.model.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The result shape of one op call by its {@link ShapeRule}, or a {@code BodyShape} error at the
 * call. Axes, keep-dims flags and reshape targets come from the call's constant arguments, which
 * must then be int literals. A tensor constant's shape is unknown here: a rule that needs it yields
 * {@link Shape#UNKNOWN}, and broadcasting assumes it fits the other arguments.
 */
public final class ShapeRules {
    private final Instr in;
    private final List<Shape> tensors = new ArrayList<>();
    private final List<Operand> constants = new ArrayList<>();
    private final Report report;
    private final String call;

    /** {@code shapes} holds one entry per tensor operand of {@code in}, in order. */
    public ShapeRules(Instr in, List<Shape> shapes, Report report) {
        this.in = in;
        this.report = report;
        this.tensors.addAll(shapes);
        List<String> parts = new ArrayList<>();
        int t = 0;
        for (Operand o : in.args()) {
            if (o instanceof Operand.Scalar || o instanceof Operand.BooleanConst) {
                constants.add(o);
                parts.add(o.toString());
            } else {
                Shape d = shapes.get(t++);
                parts.add(d.known() ? d.toString() : o.toString());
            }
        }
        this.call = in.op().method() + "(" + String.join(", ", parts) + ")";
    }

    /** The result's shape, or null after reporting why the call does not fit. */
    public Shape apply() {
        return switch (in.op().shape()) {
            case SAME -> first();
            case SCALAR -> Shape.SCALAR;
            case BROADCAST -> broadcast();
            case BROADCAST_TO_SCALAR -> broadcast() == null ? null : Shape.SCALAR;
            case CLASS_IDS_TO_SCALAR -> classIds();
            case REDUCE_AXIS -> reduceAxis();
            case SAME_WITH_AXIS -> sameWithAxis();
            case LAST_AXIS -> lastAxis();
            case EXPAND_DIMS -> expandDims();
            case RESHAPE -> reshape();
            case TRANSPOSE -> transpose();
            case MATMUL -> matmul();
        };
    }

    private Shape first() {
        return tensors.isEmpty() ? Shape.UNKNOWN : tensors.get(0);
    }

    // ---- broadcasting -------------------------------------------------------------------------

    private Shape broadcast() {
        Shape acc = null;
        for (Shape next : tensors) {
            if (!next.known()) {
                continue; // a tensor constant: assumed to broadcast into the others
            }
            if (acc == null) {
                acc = next;
                continue;
            }
            String problem = null;
            if (acc.hasBatch() && next.hasBatch() && acc.rank() != next.rank()) {
                problem = "both operands carry the batch axis but their ranks differ (" + acc.rank() + " and " + next.rank()
                        + "); Tapgrad does not promote ranks implicitly: reshape or expand one operand first";
            }
            Shape merged = problem == null ? merge(acc, next) : null;
            if (merged == null) {
                return error(BodyShapeMessages.broadcast(in.op().method(), acc.toString(), next.toString(),
                        problem != null ? problem : "the shapes do not broadcast (trailing dimensions must be equal or 1)"));
            }
            acc = merged;
        }
        return acc == null ? Shape.UNKNOWN : acc;
    }

    /** NumPy broadcasting where {@code B} matches only {@code B} or 1; null if incompatible. */
    private static Shape merge(Shape a, Shape b) {
        int rank = Math.max(a.rank(), b.rank());
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            int dx = i < rank - a.rank() ? 1 : a.get(i - (rank - a.rank()));
            int dy = i < rank - b.rank() ? 1 : b.get(i - (rank - b.rank()));
            if (dx == dy || dy == 1) {
                out.add(dx);
            } else if (dx == 1) {
                out.add(dy);
            } else {
                return null;
            }
        }
        return new Shape(out);
    }

    /** Class ids (yPred's shape without its last axis, or with it 1) against yPred; a scalar. */
    private Shape classIds() {
        if (tensors.size() != 2 || !tensors.get(0).known() || !tensors.get(1).known()) {
            return Shape.SCALAR;
        }
        Shape ids = tensors.get(0);
        Shape pred = tensors.get(1);
        if (pred.rank() == 0) {
            return error(LossOutputMessages.classIdsNeedClasses(call));
        }
        List<Integer> without = new ArrayList<>(pred.sizes().subList(0, pred.rank() - 1));
        List<Integer> withOne = new ArrayList<>(without);
        withOne.add(1);
        if (!ids.sizes().equals(without) && !ids.sizes().equals(withOne)) {
            return error(LossOutputMessages.classIdsShape(call, new Shape(without).toString(), new Shape(withOne).toString()));
        }
        return Shape.SCALAR;
    }

    // ---- along an axis ------------------------------------------------------------------------

    private Shape reduceAxis() {
        Shape x = broadcast();
        Integer axis = x == null ? null : intConstant(0, "the axis");
        if (axis == null) {
            return null;
        }
        if (!x.known()) {
            return Shape.UNKNOWN;
        }
        int a = axis(axis, x);
        if (a < 0) {
            return null;
        }
        for (Shape t : tensors) {
            if (t.known() && a - (x.rank() - t.rank()) < 0) {
                return error(BodyShapeMessages.axisNotInArgument(call, axis, t.toString()));
            }
        }
        List<Integer> out = new ArrayList<>(x.sizes());
        if (keepShape()) {
            out.set(a, 1);
        } else {
            out.remove(a);
        }
        return new Shape(out);
    }

    private Shape sameWithAxis() {
        Shape x = first();
        Integer axis = intConstant(0, "the axis");
        if (axis == null) {
            return null;
        }
        return !x.known() || axis(axis, x) >= 0 ? x : null;
    }

    private Shape lastAxis() {
        Shape x = first();
        return x.isScalar() ? error(BodyShapeMessages.needsLastAxis(call, in.op().method())) : x;
    }

    private Shape expandDims() {
        Shape x = first();
        Integer axis = intConstant(0, "the position of the new axis");
        if (axis == null) {
            return null;
        }
        if (!x.known()) {
            return Shape.UNKNOWN;
        }
        int r = x.rank();
        if (axis < -(r + 1) || axis > r) {
            return error(BodyShapeMessages.expandAxisOutOfRange(call, axis, x.toString(), r));
        }
        List<Integer> out = new ArrayList<>(x.sizes());
        out.add(axis < 0 ? axis + r + 1 : axis, 1);
        return new Shape(out);
    }

    /** {@code axis} as an index of {@code x}, or -1 after reporting it out of range. */
    private int axis(int axis, Shape x) {
        int r = x.rank();
        if (axis < -r || axis >= r) {
            error(BodyShapeMessages.axisOutOfRange(call, axis, x.toString(), r));
            return -1;
        }
        return axis < 0 ? axis + r : axis;
    }

    // ---- moving values between axes -----------------------------------------------------------

    private Shape reshape() {
        Shape x = first();
        List<Integer> target = new ArrayList<>();
        for (int i = 0; i < constants.size(); i++) {
            Integer d = intConstant(i, "each dimension");
            if (d == null) {
                return null;
            }
            target.add(d);
        }
        if (target.isEmpty()) {
            return error(BodyShapeMessages.shapeRuleNeedsConstant(call, in.op().method(), "RESHAPE", "int dimension"));
        }
        if (target.stream().filter(d -> d == -1).count() > 1) {
            return error(BodyShapeMessages.reshapeTwoInferred(call));
        }
        for (int d : target) {
            if (d < -1) {
                return error(BodyShapeMessages.reshapeNegative(call, d));
            }
        }
        if (!x.known()) {
            return Shape.UNKNOWN;
        }
        long size = 1;
        for (int d : x.sizes()) {
            size *= d == Shape.B ? 1 : d;
        }
        long known = 1;
        for (int d : target) {
            known *= d == -1 ? 1 : d;
        }
        List<Integer> out = new ArrayList<>(target);
        if (x.hasBatch()) {
            if (x.get(0) != Shape.B || x.sizes().lastIndexOf(Shape.B) != 0) {
                return error(BodyShapeMessages.reshapeBatchNotFirst(call, x.toString()));
            }
            if (target.get(0) != -1) {
                List<String> example = new ArrayList<>(List.of("x", "-1"));
                x.sizes().subList(1, x.rank()).stream().reduce((p, q) -> p * q)
                        .ifPresent(n -> example.add(Integer.toString(n)));
                return error(BodyShapeMessages.reshapeBatchFirst(call, x.toString(),
                        "reshape(" + String.join(", ", example) + ")"));
            }
            out.set(0, Shape.B);
            if (known != size) {
                return error(BodyShapeMessages.reshapeSize(call, "one example holds " + size + " values", new Shape(out).toString(),
                        known + " per example"));
            }
            return new Shape(out);
        }
        int infer = target.indexOf(-1);
        if (infer >= 0) {
            if (known == 0 || size % known != 0) {
                return error(BodyShapeMessages.reshapeIndivisible(call, size, known));
            }
            out.set(infer, (int) (size / known));
        } else if (known != size) {
            return error(BodyShapeMessages.reshapeSize(call, x + " holds " + size + " values", new Shape(out).toString(),
                    Long.toString(known)));
        }
        return new Shape(out);
    }

    private Shape transpose() {
        Shape x = first();
        if (!x.known()) {
            return Shape.UNKNOWN;
        }
        int r = x.rank();
        if (r < 2) {
            return error(BodyShapeMessages.transposeRank(call, x.toString(), r));
        }
        List<Integer> out = new ArrayList<>(x.sizes());
        out.set(r - 2, x.get(r - 1));
        out.set(r - 1, x.get(r - 2));
        return new Shape(out);
    }

    private Shape matmul() {
        if (tensors.size() != 2) {
            return error(BodyShapeMessages.shapeRuleNeedsConstant(call, in.op().method(), "MATMUL", "second Tensor"));
        }
        Shape a = tensors.get(0);
        Shape b = tensors.get(1);
        if (!a.known() || !b.known()) {
            return Shape.UNKNOWN;
        }
        int r = a.rank();
        if (r != b.rank() || (r != 2 && r != 3)) {
            return error(BodyShapeMessages.matmulRank(call));
        }
        int k1 = a.get(r - 1);
        int k2 = b.get(r - 2);
        if (k1 != k2) {
            String fix;
            if (k1 == b.get(r - 1)) {
                fix = BodyShapeMessages.matmulTransposeHint("matmul(a, transpose(b))", a.toString(), transposed(b).toString());
            } else if (a.get(r - 2) == k2) {
                fix = BodyShapeMessages.matmulTransposeHint("matmul(transpose(a), b)", transposed(a).toString(), b.toString());
            } else {
                fix = BodyShapeMessages.matmulInnerRule();
            }
            return error(BodyShapeMessages.matmulInner(call, Shape.name(k1), Shape.name(k2), fix));
        }
        if (r == 3 && a.get(0) != b.get(0)) {
            return error(BodyShapeMessages.matmulBatch(call, Shape.name(a.get(0)), Shape.name(b.get(0))));
        }
        List<Integer> out = new ArrayList<>(a.sizes());
        out.set(r - 1, b.get(r - 1));
        return new Shape(out);
    }

    private static Shape transposed(Shape x) {
        List<Integer> out = new ArrayList<>(x.sizes());
        int r = out.size();
        out.set(r - 2, x.get(r - 1));
        out.set(r - 1, x.get(r - 2));
        return new Shape(out);
    }

    // ---- constant arguments -------------------------------------------------------------------

    /** The {@code index}-th numeric constant as an int literal, or null after reporting why not. */
    private Integer intConstant(int index, String what) {
        List<Operand.Scalar> numbers = constants.stream()
                .filter(Operand.Scalar.class::isInstance).map(Operand.Scalar.class::cast).toList();
        if (index >= numbers.size()) {
            error(BodyShapeMessages.shapeRuleNeedsConstant(call, in.op().method(), in.op().shape().name(), "int"));
            return null;
        }
        Operand.Scalar number = numbers.get(index);
        if (number.intValue() == null) {
            error(BodyShapeMessages.constantNotLiteral(call, what, number.javaSource()));
        }
        return number.intValue();
    }

    /** The boolean constant ({@code keepShape}), false when the op has none. */
    private boolean keepShape() {
        return constants.stream().filter(Operand.BooleanConst.class::isInstance)
                .map(o -> ((Operand.BooleanConst) o).value()).findFirst().orElse(false);
    }

    private Shape error(String message) {
        report.error(Tag.BODY_SHAPE, in.origin(), message);
        return null;
    }
}
