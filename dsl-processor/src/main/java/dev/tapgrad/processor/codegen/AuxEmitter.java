package dev.tapgrad.processor.codegen;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeName;
import dev.tapgrad.processor.ad.Fusion;
import dev.tapgrad.processor.ir.Adjoint;
import dev.tapgrad.processor.ir.Instr;
import dev.tapgrad.processor.ir.Operand;
import dev.tapgrad.processor.ir.Program;
import dev.tapgrad.processor.ir.Value;
import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.ModelSpec;
import dev.tapgrad.processor.model.TapRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Emits one aux loss as a private method of the graph: the user's body as straight-line op calls,
 * then its reverse pass as adjoint calls in reverse order, adding {@code weight · ∂aux/∂tap} into
 * each tap's gradient buffer, or copying it in where the loss is the first in the step to reach
 * that buffer (see FirstWriters). Taps that get no gradient get no code.
 */
final class AuxEmitter {
    private final ModelSpec spec;
    private final AuxLossSpec aux;
    private final Program program;
    private final Adjoint adjoint;
    private final Fusion fusion;
    private final NameAllocator names = new NameAllocator();
    private final Map<Value, String> valueNames = new HashMap<>();
    private final Map<Value, String> gradNames = new HashMap<>();
    private final Map<Value, String> adjointNames = new HashMap<>();

    /** Per tap, whether the method overwrites its gradient buffer instead of adding into it; null: it adds into all. */
    private final boolean[] writes;

    /** @param writes per tap, whether the method is the first in the step to give its buffer a gradient; may be null */
    AuxEmitter(ModelSpec spec, AuxPlan plan, boolean[] writes) {
        this.spec = spec;
        this.writes = writes;
        this.aux = plan.spec();
        this.program = plan.program();
        this.adjoint = plan.adjoint();
        this.fusion = plan.fusion();
        for (Value v : program.inputs()) {
            valueNames.put(v, names.newName(v.name(), v));
        }
        for (Instr in : program.instrs()) {
            valueNames.put(in.result(), names.newName(in.result().name(), in.result()));
        }
    }

    /** Whether input {@code i} (tap i) receives a gradient. */
    boolean reaches(int i) {
        return adjoint.inputGradients().containsKey(program.inputs().get(i));
    }

    /** Name of the generated method. */
    String methodName() {
        return Names.auxWithGradient(aux.method());
    }

    MethodSpec method() {
        String weight = names.newName("weight");
        MethodSpec.Builder m = MethodSpec.methodBuilder(methodName())
                .addModifiers(Modifier.PRIVATE)
                .returns(TypeName.DOUBLE);
        StringBuilder doc = new StringBuilder("Auxiliary loss {@link " + spec.simpleName() + "#" + aux.method()
                + "}, differentiated at compile time: runs its body, then adds {@code weight} times its\n"
                + "gradient into the gradient buffer of each tap.\n\n");
        for (int i = 0; i < program.inputs().size(); i++) {
            Value in = program.inputs().get(i);
            TapRef tap = aux.taps().get(i);
            m.addParameter(Runtime.TENSOR, valueNames.get(in));
            doc.append("@param ").append(valueNames.get(in)).append(tap.isLabels() ? " the labels, " : " tap \"" + tap.text() + "\", ")
                    .append(in.shape()).append('\n');
            if (reaches(i)) {
                String g = names.newName(valueNames.get(in) + "Grad");
                gradNames.put(in, g);
                m.addParameter(Runtime.TENSOR, g);
                doc.append("@param ").append(g).append(" gradient of the total loss with respect to ")
                        .append(valueNames.get(in)).append(writes != null && writes[i] ? ", overwritten\n" : ", accumulated into\n");
            }
        }
        m.addParameter(TypeName.DOUBLE, weight);
        doc.append("@param ").append(weight).append(" the term's weight in the total loss\n");
        doc.append("@return the unweighted value of ").append(aux.method()).append('\n');
        m.addJavadoc("$L", doc.toString());   // as an argument: names may hold a $

        if (fusion != null) {
            return penalty(m, fusion, weight);
        }
        m.addComment("forward: the body of $L.$L", spec.simpleName(), aux.method());
        for (Instr in : program.instrs()) {
            m.addStatement("$T $L = $L", Runtime.TENSOR, valueNames.get(in.result()), call(in.op().ownerClass(),
                    in.op().method(), in.args(), null));
        }
        if (!adjoint.steps().isEmpty()) {
            m.addComment("reverse: the gradient of $L · $L, one adjoint per op, last op first", weight, aux.method());
            String seed = adjointName(program.result());
            m.addStatement("$T $L = steps.workspace().scalar($L)", Runtime.TENSOR, seed, weight);
            for (Adjoint.Step s : adjoint.steps()) {
                Instr in = s.instr();
                CodeBlock call = call(in.op().ownerClass(), s.adjointMethod(), in.args(),
                        List.of(valueNames.get(in.result()), adjointName(in.result())));
                String target = adjointName(s.target());
                if (s.first()) {
                    m.addStatement("$T $L = $L", Runtime.TENSOR, target, call);
                } else {
                    m.addStatement("$L = $T.sum($L, $L)", target, Runtime.WORKSPACE, target, call);
                }
            }
            for (int i = 0; i < program.inputs().size(); i++) {
                Value in = program.inputs().get(i);
                if (!gradNames.containsKey(in)) {
                    continue;
                }
                if (writes != null && writes[i]) {
                    m.addComment("the first gradient to reach $L in a step: it overwrites the buffer", gradNames.get(in));
                    m.addStatement("$L.copyFrom($L)", gradNames.get(in), adjointName(in));
                } else {
                    m.addStatement("$L.addInPlace($L)", gradNames.get(in), adjointName(in));
                }
            }
        }
        m.addStatement("return $L.item()", valueNames.get(program.result()));
        return m.build();
    }

    /** The body of a method whose loss the penalty rewrite fused: two kernel calls. */
    private MethodSpec penalty(MethodSpec.Builder m, Fusion f, String weight) {
        String value = names.newName("value");
        ClassName kernel = ClassName.bestGuess(f.rule().kernelClass());
        m.addComment("$L.$L is $L: the fused kernels compute the ops' values in one pass forward and",
                spec.simpleName(), aux.method(), f.text());
        m.addComment("one backward, with no temporaries");
        m.addStatement("double $L = $T.$L($L)", value, kernel, f.rule().forward(), valueNames.get(f.input()));
        if (gradNames.containsKey(f.input())) {
            m.addStatement("$T.$L($L, $L, $L)", kernel, f.rule().gradient(), valueNames.get(f.input()), weight,
                    gradNames.get(f.input()));
        }
        m.addStatement("return $L", value);
        return m.build();
    }

    private String adjointName(Value v) {
        return adjointNames.computeIfAbsent(v, k -> names.newName(Names.adjoint(valueNames.get(k))));
    }

    private CodeBlock call(String owner, String method, List<Operand> args, List<String> extra) {
        CodeBlock.Builder b = CodeBlock.builder().add("$T.$L(", ClassName.bestGuess(owner), method);
        String sep = "";
        for (Operand o : args) {
            b.add(sep).add("$L", o instanceof Operand.Var v ? valueNames.get(v.value()) : o.toString());
            sep = ", ";
        }
        if (extra != null) {
            for (String e : extra) {
                b.add(sep).add("$L", e);
                sep = ", ";
            }
        }
        return b.add(")").build();
    }
}
