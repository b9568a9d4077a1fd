package dev.tapgrad.processor.check;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.tapgrad.processor.check.Specs.aux;
import static dev.tapgrad.processor.check.Specs.lines;
import static dev.tapgrad.processor.check.Specs.sparseCnn;

import dev.tapgrad.processor.codegen.Names;
import dev.tapgrad.processor.model.ClassForm;
import dev.tapgrad.processor.model.ClassForm.Member;
import dev.tapgrad.processor.model.ClassForm.MemberKind;
import dev.tapgrad.processor.model.ModelSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a member of the model class named like any member the generated graph declares is a
 * ModelForm error on the user's member, for every name {@link Names#generatedMembers} lists and
 * every kind of member, so javac never reports the clash inside generated code.
 */
class GeneratedNamesTest {
    private static ModelSpec withMembers(ModelSpec s, List<String> staticLayers, Member... members) {
        ClassForm f = s.form();
        ClassForm form = new ClassForm(f.isPrivate(), f.isFinal(), f.isInnerNonStatic(), f.isNested(), f.isInterfaceOrEnum(),
                f.hasAccessibleNoArgConstructor(), f.finalOrPrivateLayerFields(), f.origin(), staticLayers, List.of(members));
        return new ModelSpec(s.packageName(), s.simpleName(), s.input(), s.inputOrigin(), s.loss(), s.lossOrigin(), s.metrics(),
                s.layers(), s.auxLosses(), s.lossMethod(), form, s.origin());
    }

    private static ModelSpec model() {
        return sparseCnn(aux("sparsity", 0.01, "conv1"), aux("decay", 1e-4, "out.kernel"));
    }

    @Test
    void theGeneratedNamesCoverPassesApiAuxMethodsBuffersParameterFieldsAndSteps() {
        Map<String, String> names = Names.generatedMembers(model());
        assertThat(names.keySet()).containsAtLeast("allocate", "forward", "backward", "losses", "fit", "evaluate", "predict",
                "gradients", "save", "load", "sparsityWithGradient", "decayWithGradient", "steps", "conv1Out", "conv1Grad",
                "conv1Inputs", "conv1InputGrads", "outKernel", "Steps");
    }

    @Test
    void everyGeneratedNameIsAnErrorOnTheUsersMethodFieldOrClass() {
        ModelSpec base = model();
        for (String name : Names.generatedMembers(base).keySet()) {
            for (MemberKind kind : MemberKind.values()) {
                Specs.At at = new Specs.At("member " + name);
                List<String> lines = lines(ModelFormCheck.run(withMembers(base, List.of(),
                        new Member(name, kind, false, "Net", at))));
                assertWithMessage("%s %s", kind, name).that(lines).hasSize(1);
                assertThat(lines.get(0)).startsWith("ERROR [Tapgrad/ModelForm] " + kind.word() + " " + name + " clashes with the generated NetGraph's ");
                assertThat(lines.get(0)).contains(": rename " + name + " @ ");
                assertThat(lines.get(0)).endsWith("@ " + at);
            }
        }
    }

    @Test
    void anInheritedMemberIsNamedWithItsClass() {
        List<String> lines = lines(ModelFormCheck.run(withMembers(model(), List.of(),
                new Member("forward", MemberKind.METHOD, false, "Base", new Specs.At("Net")))));
        assertThat(lines).containsExactly("ERROR [Tapgrad/ModelForm] method forward (inherited from Base) clashes with the"
                + " generated NetGraph's method forward, one of its passes: rename forward @ At[where=Net]");
    }

    @Test
    void abstractApiMethodsOtherNamesAndPrivateOnesAreFine() {
        assertThat(lines(ModelFormCheck.run(withMembers(model(), List.of(),
                new Member("fit", MemberKind.METHOD, true, "Net", new Specs.At("fit")),
                new Member("predict", MemberKind.METHOD, true, "Net", new Specs.At("predict")),
                new Member("forwardPass", MemberKind.METHOD, false, "Net", new Specs.At("forwardPass")),
                new Member("sparsity", MemberKind.METHOD, false, "Net", new Specs.At("sparsity")),
                new Member("conv1", MemberKind.FIELD, false, "Net", new Specs.At("conv1")))))).isEmpty();
    }

    @Test
    void anAbstractPassIsStillAnError() {
        assertThat(lines(ModelFormCheck.run(withMembers(model(), List.of(),
                new Member("backward", MemberKind.METHOD, true, "Net", new Specs.At("backward")))))).hasSize(1);
    }

    @Test
    void aStaticLayerFieldIsAnErrorAtTheField() {
        assertThat(lines(ModelFormCheck.run(withMembers(model(), List.of("flat"))))).containsExactly(
                "ERROR [Tapgrad/ModelForm] layer field flat is static, so every instance of the model would share the layer"
                        + " built last: remove static @ At[where=flat]");
    }
}
