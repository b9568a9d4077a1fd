package dev.tapgrad.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The comparison shared by {@link PyTorchReferenceTest} and {@link PyTorchReferenceCasesTest}: a
 * model loads the weights of its fixture directory {@code dev/tapgrad/reference/<Model>/} (written
 * by a PyTorch script, so a safetensors file from another tool must load), runs
 * {@code gradients(x, y)} on the stored batch, and must reproduce the total loss, every term and
 * every parameter gradient within a relative 1e-4 (absolute 1e-6 for tiny values).
 */
final class ReferenceCheck {
    static final double REL_TOL = 1e-4;
    static final double ABS_FLOOR = 1e-6;

    private ReferenceCheck() {}

    @FunctionalInterface
    interface Loader {
        void load(Path file) throws Exception;
    }

    @FunctionalInterface
    interface GradientStep {
        Gradients apply(Tensor x, Tensor y) throws Exception;
    }

    /**
     * Checks one model against its fixtures.
     *
     * @param model the fixture directory's name (the model class's simple name)
     * @param script the script under {@code samples/src/test/python/} that writes the fixtures
     * @param dir a scratch directory the fixtures are copied to
     */
    static void check(String model, String script, Path dir, Loader load, GradientStep gradients) throws Exception {
        Path weights = copy(model, script, "weights.safetensors", dir);
        Path batch = copy(model, script, "batch.safetensors", dir);
        Path expectedGrads = copy(model, script, "expected.safetensors", dir);
        JsonObject expected = JsonParser.parseString(
                Files.readString(copy(model, script, "expected.json", dir), StandardCharsets.UTF_8)).getAsJsonObject();

        load.load(weights);
        Map<String, Tensor> xy = Safetensors.read(batch);
        Gradients g = gradients.apply(xy.get("x"), xy.get("y"));

        assertClose(model + " total loss", expected.get("loss").getAsDouble(), g.loss());

        JsonObject terms = expected.getAsJsonObject("terms");
        assertEquals(new TreeSet<>(terms.keySet()), new TreeSet<>(g.terms().keySet()), model + ": loss term names");
        for (String term : terms.keySet()) {
            assertClose(model + " term " + term, terms.get(term).getAsDouble(), g.terms().get(term));
        }

        // The fixtures hold one gradient per trainable parameter, which the weights file holds with
        // the model's untrained state (BatchNorm's moving statistics), and nothing else.
        Map<String, Tensor> grads = Safetensors.read(expectedGrads);
        TreeSet<String> trained = grads.keySet().stream().map(k -> k.substring("grad.".length()))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(g.all().keySet()), trained, model + ": fixture parameter names");
        TreeSet<String> stored = new TreeSet<>(Safetensors.read(weights).keySet());
        stored.removeIf(k -> trained.contains(k) || k.endsWith(".moving_mean") || k.endsWith(".moving_variance"));
        assertEquals(new TreeSet<>(), stored, model + ": weights the model does not train nor keep as state");
        for (Map.Entry<String, Tensor> e : grads.entrySet()) {
            String param = e.getKey().substring("grad.".length());
            Tensor actual = g.get(param);
            assertNotNull(actual, model + ": no gradient for " + param);
            assertElementsClose(model + " gradient of " + param, e.getValue(), actual);
        }
    }

    private static Path copy(String model, String script, String file, Path dir) throws IOException {
        String resource = model + "/" + file;
        try (InputStream in = ReferenceCheck.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing fixture dev/tapgrad/reference/" + resource
                    + " (regenerate with /usr/bin/python3 samples/src/test/python/" + script + ")");
            Path target = dir.resolve(model + "-" + file);
            Files.copy(in, target);
            return target;
        }
    }

    private static boolean close(double expected, double actual) {
        return Math.abs(actual - expected) <= Math.max(REL_TOL * Math.abs(expected), ABS_FLOOR);
    }

    private static void assertClose(String what, double expected, Double actual) {
        assertNotNull(actual, what + ": missing");
        assertTrue(close(expected, actual), () -> what + ": expected " + expected + " (PyTorch) but was " + actual
                + ", relative error " + Math.abs(actual - expected) / Math.abs(expected));
    }

    private static void assertElementsClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Arrays.toString(actual.shape())
                + ", PyTorch (Keras layout) " + Arrays.toString(expected.shape()));
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        int bad = 0;
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < e.length; i++) {
            double ratio = Math.abs((double) a[i] - e[i]) / Math.max(REL_TOL * Math.abs(e[i]), ABS_FLOOR);
            if (!(ratio <= 1)) { // also catches NaN
                bad++;
            }
            if (worst < 0 || (!Double.isNaN(worstRatio) && !(ratio <= worstRatio))) { // a NaN, once seen, stays worst
                worst = i;
                worstRatio = ratio;
            }
        }
        int w = worst;
        int n = bad;
        assertTrue(bad == 0, () -> what + ": " + n + " of " + e.length + " elements differ from PyTorch; worst at flat index "
                + w + ": expected " + e[w] + " but was " + a[w]);
    }
}
