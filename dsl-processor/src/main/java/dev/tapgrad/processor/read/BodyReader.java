package dev.tapgrad.processor.read;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.Trees;
import dev.tapgrad.processor.ir.Instr;
import dev.tapgrad.processor.ir.OpSignature.ArgKind;
import dev.tapgrad.processor.ir.Operand;
import dev.tapgrad.processor.ir.Program;
import dev.tapgrad.processor.ir.Value;
import dev.tapgrad.processor.diag.BodyMessages;
import dev.tapgrad.processor.diag.LossMessages;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.diag.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * Lowers a loss method's body from javac's tree to the straight-line IR: Tensor locals, calls of
 * differentiable ops, double constants, one final {@code return}. Anything else (loops,
 * {@code if}, calls without a derivative rule, field writes) is reported on the exact statement or
 * expression, and the body is rejected.
 */
final class BodyReader {
    private final Trees trees;
    private final Elements elements;
    private final TypeElement model;
    private final BodyConstants constants;
    private final Report report;
    /** The body being read: the loss or call body, or a helper's while it is inlined. */
    private BodyScope scope;

    private final List<Instr> instrs = new ArrayList<>();
    /** Helper methods being inlined, innermost last, to report recursion. */
    private final java.util.Deque<String> inlining = new java.util.ArrayDeque<>();
    private int nextId;
    private boolean failed;
    /** {@code call}'s {@code boolean} parameter (null if none, and in loss bodies), and the mode read for. */
    private String modeName;
    private boolean mode;
    private boolean usesMode;
    /** Each {@code training ? a : b} lowered, with the branch it took, for the branches' shape check. */
    private final Map<Tree, Operand> conditionals = new java.util.LinkedHashMap<>();

    BodyReader(Trees trees, Elements elements, TypeElement model, CompilationUnitTree unit, Report report) {
        this.trees = trees;
        this.elements = elements;
        this.model = model;
        this.constants = new BodyConstants(elements, model);
        this.report = report;
        this.scope = BodyScope.of(elements, model, unit);
    }

    /** The body as IR, or null if it cannot be differentiated (the reasons are in the report). */
    Program read(ExecutableElement method, MethodTree tree) {
        return read(method, tree, method.getParameters().stream().map(p -> p.getSimpleName().toString()).toList(), null, true);
    }

    /**
     * A custom layer's {@code call} body: {@code inputs} (its tensor parameters, then its
     * {@code @Weight} fields, which the body reads by name) are the program's inputs, so the
     * weights take gradients where a loss body's tensor fields are constants. It is read for one
     * mode: {@code modeName} is its {@code boolean} parameter (null if none), and each {@code
     * training ? a : b} lowers to {@code a} when {@code mode} is true, to {@code b} otherwise. The
     * flag is constant during a step, so each form stays straight-line and the generated layer
     * picks one with a Java {@code if}: the untaken branch runs nothing (no draws, no gradient).
     */
    Program read(ExecutableElement method, MethodTree tree, List<String> inputNames, String modeName, boolean mode) {
        this.modeName = modeName;
        this.mode = mode;
        List<Value> inputs = new ArrayList<>();
        for (String name : inputNames) {
            Value v = fresh(name);
            scope.locals.put(v.name(), new Operand.Var(v));
            inputs.add(v);
        }
        if (tree.getBody() == null) {
            return null; // abstract: the signature check reports it
        }
        inlining.push(method.getSimpleName().toString());
        Operand result = body(tree, method.getSimpleName().toString());
        if (failed) {
            return null;
        }
        if (!(result instanceof Operand.Var v)) {
            fail(tree, BodyMessages.constantLoss(method.getSimpleName().toString()));
            return null;
        }
        return new Program(method.getSimpleName().toString(), inputs, instrs, v.value(), origin(scope.resultOrigin));
    }

    /** Whether the body read has a {@code training ? a : b}, so its other mode must be read too. */
    boolean usesMode() {
        return usesMode;
    }

    /** Each {@code training ? a : b} read, in source order, with the branch this mode took. */
    Map<Tree, Operand> conditionals() {
        return conditionals;
    }

    /** Lowers a method body in the current scope; returns what its final {@code return} yields. */
    private Operand body(MethodTree tree, String method) {
        List<? extends StatementTree> statements = tree.getBody().getStatements();
        for (int i = 0; i < statements.size() && !failed; i++) {
            StatementTree s = statements.get(i);
            if (s instanceof ReturnTree r) {
                if (i != statements.size() - 1) {
                    fail(statements.get(i + 1), BodyMessages.unreachableAfterReturn());
                    return null;
                }
                if (r.getExpression() == null) {
                    fail(r, LossMessages.returnsNothing(method));
                    return null;
                }
                Operand result = operand(r.getExpression(), null);
                scope.resultOrigin = r.getExpression();
                return result;
            }
            statement(s);
        }
        if (!failed) {
            fail(tree, LossMessages.missingReturn(method));
        }
        return null;
    }

    private void statement(StatementTree s) {
        if (s instanceof VariableTree v) {
            // Before attribution javac leaves the type of a `var` local out of the tree.
            String type = v.getType() == null ? "var" : v.getType().toString();
            if (!type.equals("Tensor") && !type.equals("var") && !type.equals(OpResolver.TENSOR)) {
                fail(v, BodyMessages.localNotTensor(v.getName().toString(), type));
                return;
            }
            if (v.getInitializer() == null) {
                fail(v, BodyMessages.localWithoutValue(v.getName().toString()));
                return;
            }
            Operand value = tensorOperand(v.getInitializer(), v.getName().toString());
            if (value != null) {
                scope.locals.put(v.getName().toString(), value);
            }
        } else if (s instanceof ExpressionStatementTree es && es.getExpression() instanceof AssignmentTree a) {
            if (!(a.getVariable() instanceof IdentifierTree id) || !scope.locals.containsKey(id.getName().toString())) {
                fail(a, BodyMessages.fieldWrite(a.getVariable().toString()));
                return;
            }
            Operand value = tensorOperand(a.getExpression(), id.getName().toString());
            if (value != null) {
                scope.locals.put(id.getName().toString(), value);
            }
        } else {
            fail(s, BodyMessages.unsupportedStatement(BodyTexts.describe(s)));
        }
    }

    /** Lowers an expression that must be a tensor; {@code name} is the local it is assigned to, if any. */
    private Operand tensorOperand(ExpressionTree e, String name) {
        Operand o = operand(e, name);
        if (o == null || o instanceof Operand.Var || o instanceof Operand.TensorConst) {
            return o;
        }
        fail(e, BodyMessages.constantWhereTensorNeeded(e.toString()));
        return null;
    }

    private Operand operand(ExpressionTree e, String name) {
        if (failed) {
            return null;
        }
        if (e instanceof ParenthesizedTree p) {
            return operand(p.getExpression(), name);
        }
        if (e instanceof IdentifierTree id) {
            return identifier(id);
        }
        if (e instanceof LiteralTree lit && lit.getValue() instanceof Number n) {
            boolean integral = lit.getKind() == Tree.Kind.INT_LITERAL || lit.getKind() == Tree.Kind.LONG_LITERAL;
            return new Operand.Scalar(n.doubleValue(), lit.toString(), integral, true);
        }
        if (e instanceof LiteralTree lit && lit.getValue() instanceof Boolean b) {
            return new Operand.BooleanConst(b);
        }
        if (e instanceof UnaryTree u && (u.getKind() == Tree.Kind.UNARY_MINUS || u.getKind() == Tree.Kind.UNARY_PLUS)) {
            Operand inner = operand(u.getExpression(), null);
            if (inner instanceof Operand.Scalar c) {
                boolean minus = u.getKind() == Tree.Kind.UNARY_MINUS;
                return new Operand.Scalar(c.value() == null ? null : minus ? -c.value() : c.value(),
                        (minus ? "-" : "") + c.javaSource(), c.integral(), c.literal());
            }
            return inner == null ? null : failed(u, BodyMessages.tensorOperator("-", "neg(x)"));
        }
        if (e instanceof ConditionalExpressionTree c && modeName != null && isMode(c.getCondition())) {
            usesMode = true;
            Operand taken = tensorOperand(mode ? c.getTrueExpression() : c.getFalseExpression(), name);
            if (taken != null) {
                conditionals.put(c, taken);
            }
            return taken;
        }
        if (e instanceof BinaryTree b) {
            return binary(b);
        }
        if (e instanceof MethodInvocationTree call) {
            return call(call, name);
        }
        if (e instanceof MemberSelectTree select) {
            BodyConstants.Lookup c = constants.qualified(select, scope.ops);
            if (c != null) {
                return c.operand() != null ? c.operand() : failed(e, c.error());
            }
        }
        return failed(e, BodyMessages.unsupportedExpression(e.toString(), BodyTexts.describe(e)));
    }

    private boolean isMode(ExpressionTree condition) {
        while (condition instanceof ParenthesizedTree p) {
            condition = p.getExpression();
        }
        return condition instanceof IdentifierTree id && id.getName().contentEquals(modeName)
                && !scope.locals.containsKey(modeName) && inlining.size() == 1;
    }

    private Operand identifier(IdentifierTree id) {
        String n = id.getName().toString();
        if (n.equals(modeName) && !scope.locals.containsKey(n) && inlining.size() == 1) {
            return failed(id, BodyMessages.modeOutsideConditional(n));
        }
        Operand bound = scope.locals.get(n);
        if (bound != null) {
            return bound;
        }
        BodyConstants.Lookup c = constants.unqualified(n, scope.owner, scope.unit);
        if (c != null) {
            return c.operand() != null ? c.operand() : failed(id, c.error());
        }
        return failed(id, BodyMessages.unknownName(n, scope.locals.keySet()));
    }

    private Operand binary(BinaryTree b) {
        Operand l = operand(b.getLeftOperand(), null);
        Operand r = operand(b.getRightOperand(), null);
        if (l == null || r == null) {
            return null;
        }
        String op = switch (b.getKind()) {
            case PLUS -> "+";
            case MINUS -> "-";
            case MULTIPLY -> "*";
            case DIVIDE -> "/";
            default -> null;
        };
        if (l instanceof Operand.Scalar a && r instanceof Operand.Scalar c && op != null) {
            boolean integral = a.integral() && c.integral();
            return new Operand.Scalar(Operand.Scalar.fold(a.value(), op, c.value(), integral),
                    "(" + a.javaSource() + " " + op + " " + c.javaSource() + ")", integral, false);
        }
        String hint = switch (b.getKind()) {
            case PLUS -> "add(a, b)";
            case MINUS -> "sub(a, b)";
            case MULTIPLY -> "mul(a, b) or scale(c, x)";
            default -> "an op from dev.tapgrad.runtime.Ops";
        };
        return failed(b, BodyMessages.tensorOperator(b.getKind() == Tree.Kind.PLUS ? "+" : op == null ? b.getKind().toString() : op, hint));
    }

    private Operand call(MethodInvocationTree call, String name) {
        List<Operand> args = new ArrayList<>();
        List<ArgKind> kinds = new ArrayList<>();
        for (ExpressionTree a : call.getArguments()) {
            Operand o = operand(a, null);
            if (o == null) {
                return null;
            }
            args.add(o);
            kinds.add(o instanceof Operand.Scalar ? ArgKind.DOUBLE
                    : o instanceof Operand.BooleanConst ? ArgKind.BOOLEAN : ArgKind.TENSOR);
        }
        String callee = call.getMethodSelect().toString();
        OpResolver.Resolution r = scope.ops.resolve(call.getMethodSelect(), kinds);
        if (r == null) {
            List<ExecutableElement> named = scope.ops.candidates(call.getMethodSelect());
            return failed(call, named.isEmpty()
                    ? CallHints.unknownCall(callee, elements)
                    : BodyMessages.noMatchingOverload(callee, kinds, named.get(0).toString()));
        }
        if (r.facade() != null) {
            return failed(call, BodyMessages.reexportWithoutOp(callee, BodyTexts.ownerOf(r.facade()), OpResolver.reexportTarget(r.facade()).getQualifiedName().toString()));
        }
        if (r.signature() == null) {
            if (isHelper(r.method())) {
                return inline(call, r.method(), args);
            }
            return failed(call, CallHints.noDerivativeRule(callee, r.method(), model, trees));
        }
        List<String> missing = OpResolver.missingAdjoints(r.method(), r.signature());
        if (!missing.isEmpty()) {
            return failed(call, BodyMessages.missingAdjoint(callee, missing, BodyTexts.ownerOf(r.method())));
        }
        Value result = fresh(name);
        instrs.add(new Instr(result, r.signature(), args, origin(call)));
        return new Operand.Var(result);
    }

    /**
     * A helper differentiated through by inlining it: a method of the model class with a body, or a
     * static method of another class whose source is in this compilation; either returns a Tensor.
     */
    private boolean isHelper(ExecutableElement m) {
        return CallHints.isHelper(m, model, trees);
    }

    /**
     * Lowers a helper method's body with its parameters bound to the call's arguments, so its ops
     * join this body's IR (and its gradient is generated with the rest). Recursion has no
     * straight-line form and is reported with the chain of calls.
     */
    private Operand inline(MethodInvocationTree call, ExecutableElement helper, List<Operand> args) {
        String name = helper.getSimpleName().toString();
        if (inlining.contains(name)) {
            List<String> chain = new ArrayList<>(inlining);
            java.util.Collections.reverse(chain);
            chain.add(name);
            return failed(call, BodyMessages.recursiveHelper(chain));
        }
        MethodTree tree = trees.getTree(helper);
        if (tree == null || tree.getBody() == null) {
            return failed(call, CallHints.noDerivativeRule(call.getMethodSelect().toString(), helper, model, trees));
        }
        BodyScope caller = scope;
        scope = caller.forHelper(helper, trees, elements);
        List<? extends VariableElement> params = helper.getParameters();
        for (int i = 0; i < params.size(); i++) {
            scope.locals.put(params.get(i).getSimpleName().toString(), args.get(i));
        }
        inlining.push(name);
        Operand result = body(tree, name);
        inlining.pop();
        scope = caller;
        return result;
    }

    private Value fresh(String name) {
        int id = nextId++;
        return new Value(id, name != null ? name : "t" + id);
    }

    TreeOrigin origin(Tree t) {
        return new TreeOrigin(t, scope.unit);
    }

    private void fail(Tree at, String message) {
        if (!failed) {
            report.error(Tag.NOT_DIFFERENTIABLE, origin(at), message);
        }
        failed = true;
    }

    private Operand failed(Tree at, String message) {
        fail(at, message);
        return null;
    }
}
