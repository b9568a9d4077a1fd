package dev.tapgrad.runtime.kernel.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.tapgrad.Activation;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ELU, SELU, SILU, SOFTPLUS and LEAKY_RELU against PyTorch (runtime/src/test/python/
 * make_text_reference.py): values and the gradient of {@code Σ out·r} within 1e-4 relative, on
 * inputs that include ±0 (the kinks, where the derivative must be torch's) and ±25, ±40.
 */
class ActivationsReferenceTest {
    private static Map<String, Tensor> ref;

    @BeforeAll
    static void load(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("activations_reference.safetensors");
        try (InputStream in = ActivationsReferenceTest.class.getResourceAsStream("activations_reference.safetensors")) {
            assertNotNull(in, "activations_reference.safetensors is missing; run runtime/src/test/python/make_text_reference.py");
            Files.copy(in, file);
        }
        ref = Safetensors.read(file);
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"ELU", "SELU", "SILU", "SOFTPLUS", "LEAKY_RELU"})
    void valuesAndDerivativesMatchPyTorch(Activation act) {
        Tensor x = ref.get("x");
        int rows = x.dim(0);
        int cols = x.dim(1);
        float[] z = x.toArray();
        float[] out = new float[z.length];
        Activations.forward(act, z, out, rows, cols);
        assertClose(act + " out", ref.get(act + ".out").buffer(), out);
        float[] g = ref.get("r").toArray();
        Activations.backward(act, z, out, g, rows, cols);
        assertClose(act + " grad", ref.get(act + ".grad").buffer(), g);
    }

    /** The derivatives at 0 by hand, so that a reference regenerated with other kinks would be noticed. */
    @Test
    void kinksAreTorchs() {
        float[] z = {0f, -0f};
        for (Object[] c : new Object[][] {{Activation.ELU, 1.0}, {Activation.SELU, 1.0507009873554805 * 1.6732632423543772},
                {Activation.LEAKY_RELU, 0.2}, {Activation.SILU, 0.5}, {Activation.SOFTPLUS, 0.5}}) {
            Activation act = (Activation) c[0];
            float[] out = new float[2];
            float[] g = {1f, 1f};
            Activations.forward(act, z, out, 1, 2);
            Activations.backward(act, z, out, g, 1, 2);
            assertEquals((double) c[1], g[0], 1e-6, act + " at +0");
            assertEquals((double) c[1], g[1], 1e-6, act + " at -0");
        }
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-4 * Math.max(Math.abs(expected[i]), 1e-3 * scale) + 1e-7;
            assertEquals(expected[i], actual[i], tol, what + " [" + i + "]");
        }
    }
}
