package dev.tapgrad.reference;

import static dev.tapgrad.reference.ReferenceCheck.check;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated gradients against PyTorch: each model loads weights written by
 * {@code samples/src/test/python/make_reference.py} (so a safetensors file from another tool must
 * load), runs {@code gradients(x, y)} on the stored batch, and must reproduce the total loss, every
 * term and every parameter gradient within a relative 1e-4 (absolute 1e-6 for tiny values); the
 * comparison is {@link ReferenceCheck}. The script checks that PyTorch's own float32 run meets the
 * same bound against float64. The DESIGN §1 cases are in {@link PyTorchReferenceCasesTest}.
 */
class PyTorchReferenceTest {
    private static final String SCRIPT = "make_reference.py";

    @Test
    void tinyCnn(@TempDir Path dir) throws Exception {
        TinyCnnGraph model = new TinyCnnGraph(1);
        check("TinyCnn", SCRIPT, dir, model::load, model::gradients);
    }

    @Test
    void stridedCnn(@TempDir Path dir) throws Exception {
        StridedCnnGraph model = new StridedCnnGraph(1);
        check("StridedCnn", SCRIPT, dir, model::load, model::gradients);
    }

    @Test
    void twoDense(@TempDir Path dir) throws Exception {
        TwoDenseGraph model = new TwoDenseGraph(1);
        check("TwoDense", SCRIPT, dir, model::load, model::gradients);
    }
}
