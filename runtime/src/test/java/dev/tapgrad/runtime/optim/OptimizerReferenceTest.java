package dev.tapgrad.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Five steps of Sgd (momentum, Nesterov), AdamW and RmsProp against torch.optim on the same weights
 * and gradients (src/test/python/make_optim_reference.py, which says how each torch option maps to
 * Keras's formula), step by step; Keras's ε placement by hand; the schedules against Keras's
 * formulas at chosen steps.
 */
class OptimizerReferenceTest {
    private static final Map<String, Optimizer> CASES = Map.of(
            "sgd_momentum", Sgd.lr(0.1).momentum(0.9),
            "sgd_nesterov", Sgd.lr(0.05).momentum(0.8).nesterov(),
            "adamw", AdamW.lr(0.01).epsilon(1e-30),
            "adamw_strong_decay", AdamW.lr(0.05).weightDecay(0.5).beta1(0.8).beta2(0.99).epsilon(1e-30),
            "rmsprop", RmsProp.lr(0.01).epsilon(1e-30),
            "rmsprop_momentum", RmsProp.lr(0.01).rho(0.8).momentum(0.5).epsilon(1e-30));

    private static JsonArray cases() throws Exception {
        try (InputStream in = OptimizerReferenceTest.class.getResourceAsStream("optim_reference.json")) {
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject()
                    .getAsJsonArray("cases");
        }
    }

    private static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    @Test
    void everyStepMatchesTorch() throws Exception {
        JsonArray cases = cases();
        assertEquals(CASES.size(), cases.size());
        for (var element : cases) {
            JsonObject c = element.getAsJsonObject();
            String name = c.get("name").getAsString();
            Parameter p = new Parameter("dense.kernel", Tensor.of(floats(c.getAsJsonArray("w0")), 2, 3));
            Updater u = CASES.get(name).start(List.of(p));
            JsonArray grads = c.getAsJsonArray("grads");
            JsonArray after = c.getAsJsonArray("after");
            for (int s = 0; s < grads.size(); s++) {
                System.arraycopy(floats(grads.get(s).getAsJsonArray()), 0, p.grad().buffer(), 0, 6);
                u.step();
                float[] expected = floats(after.get(s).getAsJsonArray());
                for (int i = 0; i < 6; i++) {
                    assertEquals(expected[i], p.value().buffer()[i], 2e-6 * Math.max(1, Math.abs(expected[i])),
                            name + " step " + (s + 1) + " element " + i);
                }
            }
        }
    }

    @Test
    void kerasDefaultsAndEpsilonPlacement() {
        AdamW adamW = AdamW.lr(1e-3);
        assertEquals(0.004, adamW.weightDecay());
        RmsProp rms = RmsProp.lr(1e-3);
        assertEquals(0.9, rms.rho());
        assertEquals(1e-7, rms.epsilon());
        assertEquals(0, rms.momentum());
        // Keras: w -= lr·g/√(v + ε) with v = (1−ρ)·g² after one step; a tiny gradient shows where ε is
        Parameter p = new Parameter("w", Tensor.of(new float[] {1f}, 1));
        Updater u = RmsProp.lr(0.1).epsilon(1e-4).start(List.of(p));
        p.grad().buffer()[0] = 0.01f;
        u.step();
        double v = 0.1 * 0.01 * 0.01;
        assertEquals(1 - 0.1 * 0.01 / Math.sqrt(v + 1e-4), p.value().buffer()[0], 1e-6);
        // AdamW's first step: decay by lr·wd, then Adam's first step, ±lr·m̂/(√v̂ + ε) = lr·sign(g) nearly
        Parameter q = new Parameter("w", Tensor.of(new float[] {2f}, 1));
        Updater a = AdamW.lr(0.1).weightDecay(0.5).start(List.of(q));
        q.grad().buffer()[0] = 3f;
        a.step();
        assertEquals(2 * (1 - 0.1 * 0.5) - 0.1 * 3 / (3 + 1e-7 / Math.sqrt(1 - 0.999)) * 1, q.value().buffer()[0], 1e-5);
    }

    @Test
    void badSettingsNameTheSetter() {
        assertEquals("AdamW.beta1: must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> AdamW.lr(1e-3).beta1(1)).getMessage());
        assertEquals("AdamW.weightDecay: must be finite and >= 0, got -0.1",
                assertThrows(IllegalArgumentException.class, () -> AdamW.lr(1e-3).weightDecay(-0.1)).getMessage());
        assertEquals("RmsProp.rho: must be in [0, 1), got 1.5",
                assertThrows(IllegalArgumentException.class, () -> RmsProp.lr(1e-3).rho(1.5)).getMessage());
        assertEquals("RmsProp.lr: the learning rate must be finite and > 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> RmsProp.lr(-1)).getMessage());
        assertThrows(NullPointerException.class, () -> Adam.lr((Schedule) null));
    }

    @Test
    void schedulesFollowKerasFormulas() {
        Schedule exp = Schedule.exponentialDecay(0.1, 10, 0.5);
        assertEquals(0.1, exp.at(0), 1e-15);
        assertEquals(0.05, exp.at(10), 1e-15);
        assertEquals(0.1 * Math.pow(0.5, 1.5), exp.at(15), 1e-15);
        Schedule stairs = Schedule.exponentialDecay(0.1, 10, 0.5, true);
        assertEquals(0.05, stairs.at(15), 1e-15);
        assertEquals(0.1, stairs.at(9), 1e-15);
        Schedule cos = Schedule.cosineDecay(1.0, 100);
        assertEquals(1.0, cos.at(0), 1e-15);
        assertEquals(0.5, cos.at(50), 1e-12);
        assertEquals(0.0, cos.at(100), 1e-15);
        assertEquals(0.0, cos.at(1000), 1e-15);
        Schedule floor = Schedule.cosineDecay(2.0, 100, 0.1);
        assertEquals(0.2, floor.at(100), 1e-12);
        assertEquals(2.0 * (0.9 * 0.5 + 0.1), floor.at(50), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Schedule.cosineDecay(1, 0));
        assertThrows(IllegalArgumentException.class, () -> Schedule.exponentialDecay(1, 10, -0.5));
    }

    @Test
    void aScheduleDrivesEachStepsRateAndContinuesWithTheState() {
        // Sgd with w -= lr(step)·g and g = 1: after 3 steps w = −(lr0 + lr1 + lr2), in two starts sharing a state
        Schedule lambda = step -> 0.1 / (1 + step);
        Parameter p = new Parameter("w", Tensor.zeros(1));
        OptimizerState state = new OptimizerState();
        Updater u = Sgd.lr(lambda).start(List.of(p), state);
        p.grad().buffer()[0] = 1f;
        u.step();
        u.step();
        assertEquals(0.1 / 2, u.learningRate(), 1e-15);
        Updater again = Sgd.lr(lambda).start(List.of(p), state);
        again.step();
        assertEquals(3, state.iterations());
        assertEquals(-(0.1 + 0.05 + 0.1 / 3), p.value().buffer()[0], 1e-6);
        // another kind of optimizer starts the state over
        Adam.lr(0.1).start(List.of(p), state);
        assertEquals(0, state.iterations());
        assertEquals("Adam", state.kind());
    }

    @Test
    void aScheduleThatReturnsNonsenseStopsBeforeTheWeightsChange() {
        Parameter p = new Parameter("w", Tensor.zeros(1));
        Updater u = Sgd.lr(step -> step < 1 ? 0.1 : Double.NaN).start(List.of(p));
        p.grad().buffer()[0] = 1f;
        u.step();
        IllegalStateException e = assertThrows(IllegalStateException.class, u::step);
        assertEquals(-0.1f, p.value().buffer()[0]);
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("returned NaN at step 1"), e.getMessage());
    }
}
