package dev.tapgrad.processor.check;

import static com.google.common.truth.Truth.assertThat;
import static dev.tapgrad.processor.check.Specs.aux;
import static dev.tapgrad.processor.check.Specs.lines;
import static dev.tapgrad.processor.check.Specs.sparseCnn;

import dev.tapgrad.processor.diag.Origin;
import dev.tapgrad.processor.model.AuxLossSpec;
import dev.tapgrad.processor.model.TapRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DESIGN §2 row 1 on hand-built specs: each unknown tap at its own annotation value. */
class TapCheckTest {
    @Test
    void layerAndParameterTapsThatExistPass() {
        assertThat(lines(TapCheck.run(sparseCnn(
                aux("a", 0.1, "conv1"), aux("b", 0.1, "flat"), aux("c", 0.1, "out.kernel", "conv1.bias"))))).isEmpty();
    }

    @Test
    void unknownLayerListsTheLayersAndSuggests() {
        assertThat(lines(TapCheck.run(sparseCnn(aux("a", 0.1, "conv2"))))).containsExactly(
                "ERROR [Tapgrad/UnknownTap] tap \"conv2\" names no layer of Net; layers: conv1, flat, out"
                        + " (did you mean conv1?) @ At[where=tap:conv2]");
    }

    @Test
    void unknownLayerFarFromEveryNameGetsNoSuggestion() {
        assertThat(lines(TapCheck.run(sparseCnn(aux("a", 0.1, "hidden"))))).containsExactly(
                "ERROR [Tapgrad/UnknownTap] tap \"hidden\" names no layer of Net; layers: conv1, flat, out @ At[where=tap:hidden]");
    }

    @Test
    void unknownParameter() {
        assertThat(lines(TapCheck.run(sparseCnn(aux("a", 0.1, "out.kernal"))))).containsExactly(
                "ERROR [Tapgrad/UnknownTap] tap \"out.kernal\" names no parameter of layer out; its parameters:"
                        + " out.kernel, out.bias (did you mean out.kernel?) @ At[where=tap:out.kernal]");
    }

    @Test
    void parameterOfALayerWithoutWeights() {
        assertThat(lines(TapCheck.run(sparseCnn(aux("a", 0.1, "flat.kernel"))))).containsExactly(
                "ERROR [Tapgrad/UnknownTap] tap \"flat.kernel\" names no parameter of layer flat; its parameters: none"
                        + " (flat has no weights; tap its output \"flat\" instead) @ At[where=tap:flat.kernel]");
    }

    @Test
    void everyBadTapOfEveryLossIsReported() {
        assertThat(lines(TapCheck.run(sparseCnn(aux("a", 0.1, "conv1", "dense"), aux("b", 0.1, "out.gamma")))))
                .hasSize(2);
    }

    @Test
    void noTapAtAll() {
        AuxLossSpec none = new AuxLossSpec("a", List.<TapRef>of(), 1.0, Origin.NONE, new Specs.At("taps:a"), List.of(), true,
                "dev.tapgrad.runtime.Tensor", false, false, null, Origin.NONE);
        assertThat(lines(TapCheck.run(sparseCnn(none)))).containsExactly(
                "ERROR [Tapgrad/UnknownTap] an @AuxLoss needs at least one tap: tap = \"layer\" or tap = \"layer.param\""
                        + " @ At[where=taps:a]");
    }
}
