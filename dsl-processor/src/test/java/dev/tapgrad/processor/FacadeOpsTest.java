package dev.tapgrad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * A call through the {@code Ops} facade ({@code exp(x)} by static import, or {@code Ops.exp(x)})
 * resolves to the op that {@code @Reexport} names, so generated code calls the op and its adjoint
 * in their own class, exactly as for a direct call; a user's facade works the same way, and one
 * whose target lacks the op is an error on the call.
 */
class FacadeOpsTest {
    private static final String[] HEADER = {
        "package demo;",
        "import dev.tapgrad.*;",
        "import dev.tapgrad.runtime.Ops;",
        "import dev.tapgrad.runtime.Tensor;",
        "import dev.tapgrad.runtime.layers.Dense;",
        "import dev.tapgrad.runtime.ops.ElementwiseMath;",
        "import static dev.tapgrad.runtime.Ops.*;",
    };

    private static String[] lines(String... body) {
        String[] all = new String[HEADER.length + body.length];
        System.arraycopy(HEADER, 0, all, 0, HEADER.length);
        System.arraycopy(body, 0, all, HEADER.length, body.length);
        return all;
    }

    @Test
    void facadeAndDirectCallsGenerateTheSameOpCalls() throws IOException {
        Compilation c = Compile.compile(Compile.source("demo.Facade", lines(
                "@Model(input = {4}, loss = LossKind.MSE)",
                "abstract class Facade {",
                "    @Layer(units = 3) Dense hidden;",
                "    @Layer(units = 1) Dense out;",
                "    @AuxLoss(tap = \"hidden\") Tensor imported(Tensor hidden) { return mean(exp(hidden)); }",
                "    @AuxLoss(tap = \"hidden\") Tensor qualified(Tensor hidden) { return Ops.mean(Ops.exp(hidden)); }",
                "    @AuxLoss(tap = \"hidden\") Tensor direct(Tensor hidden) {",
                "        return dev.tapgrad.runtime.ops.Reductions.mean(ElementwiseMath.exp(hidden));",
                "    }",
                "}")));
        assertThat(c).succeededWithoutWarnings();
        String graph = c.generatedSourceFile("demo.FacadeGraph").orElseThrow().getCharContent(true).toString();
        assertThat(graph).doesNotContain("Ops.");
        assertThat(graph).doesNotContain("import dev.tapgrad.runtime.Ops;");
        for (String method : new String[] {"imported", "qualified", "direct"}) {
            String body = graph.substring(graph.indexOf("private double " + method + "WithGradient"));
            body = body.substring(0, body.indexOf("\n  }\n"));
            assertThat(body).contains("Tensor t1 = ElementwiseMath.exp(hidden);");
            assertThat(body).contains("Tensor t2 = Reductions.mean(t1);");
            assertThat(body).contains("Reductions.meanAdjoint(t1, t2, dT2);");
            assertThat(body).contains("ElementwiseMath.expAdjoint(hidden, t1, dT1);");
        }
    }

    @Test
    void aUsersFacadeResolvesToItsOwnOps() throws IOException {
        Compilation c = Compile.compile(Compile.source("demo.Mine", lines(
                "@Model(input = {4}, loss = LossKind.MSE)",
                "abstract class Mine {",
                "    @Layer(units = 1) Dense out;",
                "    @AuxLoss(tap = \"out\") Tensor twice(Tensor out) { return mean(MyFacade.doubled(out)); }",
                "}",
                "final class MyOps {",
                "    @Differentiable(adjoint = \"doubledAdjoint\", shape = ShapeRule.SAME)",
                "    public static Tensor doubled(Tensor x) { return Ops.scale(2, x); }",
                "    public static Tensor doubledAdjoint(Tensor x, Tensor out, Tensor g) { return Ops.scale(2, g); }",
                "}",
                "final class MyFacade {",
                "    @Reexport(MyOps.class) public static Tensor doubled(Tensor x) { return MyOps.doubled(x); }",
                "}")));
        assertThat(c).succeededWithoutWarnings();
        String graph = c.generatedSourceFile("demo.MineGraph").orElseThrow().getCharContent(true).toString();
        assertThat(graph).contains("Tensor t1 = MyOps.doubled(out);");
        assertThat(graph).contains("MyOps.doubledAdjoint(out, t1, dT1);");
    }

    @Test
    void aReexportOfAMissingOpIsAnErrorOnTheCall() {
        Compilation c = Compile.compile(Compile.source("demo.Broken", lines(
                "@Model(input = {4}, loss = LossKind.MSE)",
                "abstract class Broken {",
                "    @Layer(units = 1) Dense out;",
                "    @AuxLoss(tap = \"out\") Tensor twice(Tensor out) { return mean(BadFacade.tripled(out)); }",
                "}",
                "final class BadFacade {",
                "    @Reexport(ElementwiseMath.class) public static Tensor tripled(Tensor x) { return Ops.scale(3, x); }",
                "}")));
        assertThat(c).failed();
        assertThat(c).hadErrorContaining("[Tapgrad/NotDifferentiable] call to BadFacade.tripled (demo.BadFacade) has no "
                + "derivative rule: its @Reexport names dev.tapgrad.runtime.ops.ElementwiseMath").inFile(
                        c.sourceFiles().get(0)).onLine(HEADER.length + 4);
    }
}
