package dev.tapgrad.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapgrad.runtime.Dataset;
import dev.tapgrad.runtime.Fit;
import dev.tapgrad.runtime.Gradients;
import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import dev.tapgrad.runtime.io.CheckpointException;
import dev.tapgrad.runtime.io.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §1c "Training and inference" on a generated model: fit trains and moves BatchNorm's
 * moving statistics by Keras's rule; gradients trains (dropout, batch statistics) but changes
 * nothing, not even the dropout masks fit's next step draws; evaluate and predict use the moving
 * statistics without dropout; one seed gives one run; the state goes through checkpoints.
 */
class ModesTest {
    private static final int N = 16;
    @TempDir Path dir;

    private final Random random = new Random(4);
    private final Tensor x = Tensor.randn(random, N, 6);
    private final Tensor y = Tensor.randn(random, N, 3);

    @Test
    void fitMovesTheMovingStatisticsByKerasRuleWithTheBiasedBatchVariance() {
        ModalNetGraph g = new ModalNetGraph(1);
        Tensor h = Tensor.zeros(N, 8);
        g.hidden.forward(x, h); // bn's input in the one step below, before the weights change
        double[][] stats = statistics(h);
        g.fit(Dataset.of(x, y), Fit.epochs(1).batchSize(N).verbose(false));
        float[] mm = g.bn.state().get(0).value().buffer();
        float[] mv = g.bn.state().get(1).value().buffer();
        for (int c = 0; c < 8; c++) {
            assertEquals(0.5 * 0 + 0.5 * stats[0][c], mm[c], 1e-5, "moving_mean " + c);
            assertEquals(0.5 * 1 + 0.5 * stats[1][c], mv[c], 1e-5 * (1 + stats[1][c]), "moving_variance " + c);
        }
    }

    @Test
    void gradientsChangeNothingAndRepeat() throws Exception {
        ModalNetGraph g = new ModalNetGraph(1);
        g.fit(Dataset.of(x, y), Fit.epochs(1).batchSize(4).verbose(false)); // moving statistics away from 0 and 1
        Path before = dir.resolve("before.safetensors");
        g.save(before);
        Gradients a = g.gradients(x, y);
        Gradients b = g.gradients(x, y);
        Path after = dir.resolve("after.safetensors");
        g.save(after);
        assertArrayEquals(Files.readAllBytes(before), Files.readAllBytes(after), "weights or moving statistics changed");
        assertEquals(a.loss(), b.loss());
        for (String p : a.all().keySet()) {
            assertArrayEquals(a.get(p).toArray(), b.get(p).toArray(), p);
        }
        assertFalse(a.all().containsKey("bn.moving_mean"), "moving statistics are not trained");
        assertTrue(a.all().containsKey("bn.gamma"));
    }

    @Test
    void gradientsDoNotMoveTheDropoutMasksFitDrawsNext() throws Exception {
        ModalNetGraph probed = new ModalNetGraph(3);
        ModalNetGraph plain = new ModalNetGraph(3);
        probed.gradients(x, y);
        probed.gradients(x, y);
        Fit once = Fit.epochs(1).batchSize(N).seed(5).verbose(false);
        probed.fit(Dataset.of(x, y), once);
        plain.fit(Dataset.of(x, y), once);
        assertArrayEquals(bytes(plain), bytes(probed));
    }

    @Test
    void gradientsRunTheTrainingForwardAndEvaluateTheInferenceOne() {
        ModalNetGraph g = new ModalNetGraph(1);
        Gradients train = g.gradients(x, y);
        double inference = g.evaluate(Dataset.of(x, y)).get("mse");
        assertNotEquals(inference, train.terms().get("mse"), 1e-3);
    }

    @Test
    void predictUsesTheMovingStatisticsAndNoDropout() {
        ModalNetGraph g = new ModalNetGraph(1);
        float[] mm = g.bn.state().get(0).value().buffer();
        float[] mv = g.bn.state().get(1).value().buffer();
        float[] gamma = g.bn.parameters().get(0).value().buffer();
        float[] beta = g.bn.parameters().get(1).value().buffer();
        for (int c = 0; c < 8; c++) {
            mm[c] = 0.1f * c - 0.3f;
            mv[c] = 0.5f + 0.25f * c;
            gamma[c] = 1 + 0.1f * c;
            beta[c] = 0.05f * c;
        }
        Tensor h = Tensor.zeros(N, 8);
        g.hidden.forward(x, h);
        float[] normed = new float[N * 8];
        for (int r = 0; r < N; r++) {
            double mean = 0;
            double[] bn = new double[8];
            for (int c = 0; c < 8; c++) {
                bn[c] = gamma[c] * (h.buffer()[r * 8 + c] - mm[c]) / Math.sqrt(mv[c] + 1e-3) + beta[c];
                mean += bn[c] / 8;
            }
            double variance = 0;
            for (int c = 0; c < 8; c++) {
                variance += (bn[c] - mean) * (bn[c] - mean) / 8;
            }
            for (int c = 0; c < 8; c++) { // LayerNorm, gamma 1 and beta 0; dropout is the identity
                normed[r * 8 + c] = (float) ((bn[c] - mean) / Math.sqrt(variance + 1e-3));
            }
        }
        Tensor expected = Tensor.zeros(N, 3);
        g.out.forward(Tensor.wrap(normed, N, 8), expected);
        float[] first = g.predict(x).toArray();
        assertArrayEquals(first, g.predict(x).toArray(), "inference draws nothing");
        for (int i = 0; i < first.length; i++) {
            assertEquals(expected.buffer()[i], first[i], 1e-5 * (1 + Math.abs(expected.buffer()[i])), "prediction " + i);
        }
    }

    @Test
    void oneSeedGivesOneRun() throws Exception {
        Fit fit = Fit.epochs(2).batchSize(4).seed(9).verbose(false);
        ModalNetGraph a = new ModalNetGraph(7);
        ModalNetGraph b = new ModalNetGraph(7);
        History ha = a.fit(Dataset.of(x, y), fit);
        History hb = b.fit(Dataset.of(x, y), fit);
        assertEquals(ha.toString(), hb.toString());
        assertArrayEquals(bytes(a), bytes(b));
        ModalNetGraph other = new ModalNetGraph(8);
        other.fit(Dataset.of(x, y), fit);
        assertFalse(java.util.Arrays.equals(bytes(a), bytes(other)), "another seed, another run");
    }

    @Test
    void checkpointsHoldTheMovingStatistics() throws Exception {
        ModalNetGraph a = new ModalNetGraph(1);
        a.fit(Dataset.of(x, y), Fit.epochs(1).batchSize(4).verbose(false));
        Path file = dir.resolve("a.safetensors");
        a.save(file);
        ModalNetGraph b = new ModalNetGraph(2);
        b.load(file);
        assertArrayEquals(a.bn.state().get(0).value().toArray(), b.bn.state().get(0).value().toArray());
        assertArrayEquals(a.bn.state().get(1).value().toArray(), b.bn.state().get(1).value().toArray());
        assertArrayEquals(a.predict(x).toArray(), b.predict(x).toArray());
    }

    @Test
    void aCheckpointWithoutTheStateOrWithItsWrongShapeIsRefused() throws Exception {
        ModalNetGraph a = new ModalNetGraph(1);
        List<Parameter> trainable = new ArrayList<>();
        for (var layer : List.of(a.hidden, a.bn, a.drop, a.ln, a.out)) {
            trainable.addAll(layer.parameters());
        }
        Path noState = dir.resolve("no-state.safetensors");
        Checkpoints.save(noState, trainable);
        ModalNetGraph b = new ModalNetGraph(2);
        float[] before = b.hidden.kernel().toArray();
        CheckpointException e = assertThrows(CheckpointException.class, () -> b.load(noState));
        assertTrue(e.getMessage().contains("missing bn.moving_mean (8)") && e.getMessage().contains("missing bn.moving_variance (8)"),
                e.getMessage());
        List<Parameter> wrong = new ArrayList<>(trainable);
        wrong.add(a.bn.state().get(0));
        wrong.add(new Parameter("bn.moving_variance", Tensor.zeros(5)));
        Path wrongShape = dir.resolve("wrong.safetensors");
        Checkpoints.save(wrongShape, wrong);
        e = assertThrows(CheckpointException.class, () -> b.load(wrongShape));
        assertTrue(e.getMessage().contains("bn.moving_variance has shape (5)"), e.getMessage());
        assertArrayEquals(before, b.hidden.kernel().toArray());
    }

    private byte[] bytes(ModalNetGraph g) throws Exception {
        Path f = Files.createTempFile(dir, "w", ".safetensors");
        g.save(f);
        return Files.readAllBytes(f);
    }

    /** Per column of (N, C): the mean and the biased variance. */
    private static double[][] statistics(Tensor h) {
        int c = h.dim(1);
        double[][] s = new double[2][c];
        for (int j = 0; j < c; j++) {
            for (int r = 0; r < N; r++) {
                s[0][j] += h.buffer()[r * c + j] / (double) N;
            }
            for (int r = 0; r < N; r++) {
                double d = h.buffer()[r * c + j] - s[0][j];
                s[1][j] += d * d / N;
            }
        }
        return s;
    }
}
