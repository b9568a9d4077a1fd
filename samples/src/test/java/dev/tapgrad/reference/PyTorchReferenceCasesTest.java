package dev.tapgrad.reference;

import static dev.tapgrad.reference.ReferenceCheck.check;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DESIGN §1 cases 2 to 6, DAG wiring, the pooling, Conv1D and Reshape layers, Embedding → Gru, and BatchNorm and LayerNorm (training forward) against PyTorch, in small sizes: each model loads
 * weights written by {@code samples/src/test/python/make_case_references.py}, runs
 * {@code gradients(x, y)} on the stored batch, and must reproduce the total loss, every term and
 * every parameter gradient within a relative 1e-4 (absolute 1e-6 for tiny values), as
 * {@link PyTorchReferenceTest} does (the comparison is {@link ReferenceCheck}).
 */
class PyTorchReferenceCasesTest {
    private static final String SCRIPT = "make_case_references.py";

    @Test
    void priorLstm(@TempDir Path dir) throws Exception {
        PriorLstmGraph model = new PriorLstmGraph(1);
        check("PriorLstm", SCRIPT, dir, model::load, model::gradients);
    }

    @Test
    void diverseMlp(@TempDir Path dir) throws Exception {
        DiverseMlpGraph model = new DiverseMlpGraph(1);
        check("DiverseMlp", SCRIPT, dir, model::load, model::gradients);
    }

    @Test
    void regularizedClassifier(@TempDir Path dir) throws Exception {
        RegularizedClassifierGraph model = new RegularizedClassifierGraph(1);
        check("RegularizedClassifier", SCRIPT, dir, model::load, model::gradients);
    }

    @Test
    void weightLoss(@TempDir Path dir) throws Exception {
        WeightLossGraph model = new WeightLossGraph(1);
        check("WeightLoss", SCRIPT, dir, model::load, model::gradients);
    }

    @Test
    void helperLoss(@TempDir Path dir) throws Exception {
        HelperLossGraph model = new HelperLossGraph(1);
        check("HelperLoss", SCRIPT, dir, model::load, model::gradients);
    }

    @Test
    void residualDag(@TempDir Path dir) throws Exception {
        ResidualDagGraph model = new ResidualDagGraph(1);
        check("ResidualDag", SCRIPT, dir, model::load, model::gradients);
    }

    @Test
    void pooledCnn(@TempDir Path dir) throws Exception {
        PooledCnnGraph model = new PooledCnnGraph(1);
        check("PooledCnn", SCRIPT, dir, model::load, model::gradients);
    }

    @Test
    void seqConv(@TempDir Path dir) throws Exception {
        SeqConvGraph model = new SeqConvGraph(1);
        check("SeqConv", SCRIPT, dir, model::load, model::gradients);
    }

    @Test
    void textGru(@TempDir Path dir) throws Exception {
        TextGruGraph model = new TextGruGraph(1);
        check("TextGru", SCRIPT, dir, model::load, model::gradients);
    }

    @Test
    void normCnn(@TempDir Path dir) throws Exception {
        NormCnnGraph model = new NormCnnGraph(1);
        check("NormCnn", SCRIPT, dir, model::load, model::gradients);
    }
}
