package dev.tapgrad.processor.ir;

import dev.tapgrad.processor.ir.OpSignature.ArgKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A body's IR as lines of text and back, so that a custom layer compiled in one javac run carries
 * its body on its generated class (in {@code @CompiledLayer}) and a model compiled in another run
 * types it with the shapes it gives the layer. One line per instruction:
 * {@code id|name|owner#method|arg|arg...}, where an argument is {@code %id} (a value), {@code
 * c:field} (a tensor constant), {@code b:true} or {@code n:value:integral:literal:javaSource} (a
 * number); inputs are the values {@code 0..n-1}. Ops are found again by owner, name and argument
 * kinds, so the signature (shape rule, adjoints) is the one the op declares now.
 */
public final class IrText {
    private IrText() {}

    /** Finds an op by its owner class, method name and argument kinds; null when there is none. */
    public interface OpLookup {
        /** The op, or null. */
        OpSignature find(String owner, String method, List<ArgKind> kinds);
    }

    /** The instructions of {@code p} as lines; its inputs must be its first values, in order. */
    public static List<String> write(Program p) {
        Map<Value, Integer> ids = new HashMap<>();
        for (Value v : p.inputs()) {
            ids.put(v, ids.size());
        }
        List<String> lines = new ArrayList<>();
        for (Instr in : p.instrs()) {
            int id = ids.size();
            ids.put(in.result(), id);
            StringBuilder b = new StringBuilder().append(id).append('|').append(in.result().name()).append('|')
                    .append(in.op().ownerClass()).append('#').append(in.op().method());
            for (Operand o : in.args()) {
                b.append('|').append(text(o, ids));
            }
            lines.add(b.toString());
        }
        return lines;
    }

    private static String text(Operand o, Map<Value, Integer> ids) {
        if (o instanceof Operand.Var v) {
            return "%" + ids.get(v.value());
        }
        if (o instanceof Operand.TensorConst c) {
            return "c:" + c.field();
        }
        if (o instanceof Operand.BooleanConst c) {
            return "b:" + c.value();
        }
        Operand.Scalar c = (Operand.Scalar) o;
        return "n:" + c.value() + ":" + c.integral() + ":" + c.literal() + ":" + c.javaSource();
    }

    /** The id of {@code v} in {@link #write}'s numbering. */
    public static int idOf(Program p, Value v) {
        int i = p.inputs().indexOf(v);
        if (i >= 0) {
            return i;
        }
        for (int k = 0; k < p.instrs().size(); k++) {
            if (p.instrs().get(k).result().equals(v)) {
                return p.inputs().size() + k;
            }
        }
        throw new IllegalArgumentException(v + " is not a value of " + p.name());
    }

    /**
     * The program {@link #write} wrote, untyped and without source positions; {@code result} is the
     * id of the returned value.
     *
     * @throws IllegalArgumentException if a line is malformed or names an op that no longer exists
     */
    public static Program read(String name, List<String> inputs, List<String> lines, int result, OpLookup ops) {
        List<Value> values = new ArrayList<>();
        for (String in : inputs) {
            values.add(new Value(values.size(), in));
        }
        List<Value> inputValues = List.copyOf(values);
        List<Instr> instrs = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split("\\|", -1);
            if (parts.length < 3 || Integer.parseInt(parts[0]) != values.size()) {
                throw new IllegalArgumentException("malformed body line of " + name + ": " + line);
            }
            List<Operand> args = new ArrayList<>();
            List<ArgKind> kinds = new ArrayList<>();
            for (int i = 3; i < parts.length; i++) {
                Operand o = operand(parts[i], values);
                args.add(o);
                kinds.add(o instanceof Operand.Scalar ? ArgKind.DOUBLE
                        : o instanceof Operand.BooleanConst ? ArgKind.BOOLEAN : ArgKind.TENSOR);
            }
            int hash = parts[2].lastIndexOf('#');
            OpSignature op = ops.find(parts[2].substring(0, hash), parts[2].substring(hash + 1), kinds);
            if (op == null) {
                throw new IllegalArgumentException("the op " + parts[2] + " of " + name + " is not on the class path");
            }
            Value v = new Value(values.size(), parts[1]);
            values.add(v);
            instrs.add(new Instr(v, op, args, null));
        }
        return new Program(name, inputValues, instrs, values.get(result), null);
    }

    private static Operand operand(String text, List<Value> values) {
        if (text.startsWith("%")) {
            return new Operand.Var(values.get(Integer.parseInt(text.substring(1))));
        }
        if (text.startsWith("c:")) {
            return new Operand.TensorConst(text.substring(2));
        }
        if (text.startsWith("b:")) {
            return new Operand.BooleanConst(Boolean.parseBoolean(text.substring(2)));
        }
        String[] n = text.split(":", 5);
        return new Operand.Scalar(n[1].equals("null") ? null : Double.valueOf(n[1]), n[4], Boolean.parseBoolean(n[2]),
                Boolean.parseBoolean(n[3]));
    }
}
