package dev.tapgrad.runtime.layers;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.TapgradDataException;
import dev.tapgrad.runtime.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Keras's {@code Embedding}: each id in the input picks a row of {@code embeddings} (vocabulary,
 * units). The input holds integer ids stored as floats, (B, steps) or (B,); the output appends an
 * axis of {@code units}: (B, steps, units) or (B, units). An id that is not an integer in
 * {@code [0, vocabulary)} is a {@link TapgradDataException} naming the layer, the id and where it
 * is, thrown before the output is touched. The gradient is a scatter-add of dL/dout's rows into
 * the rows of dL/dembeddings; ids have no gradient.
 */
public final class Embedding extends AbstractLayer {
    private final int vocabulary;
    private final int units;
    private final Parameter embeddings;

    /** An embedding of {@code vocabulary} ids into {@code units} values; zero until {@link #initialize}. */
    public Embedding(String name, int vocabulary, int units) {
        super(name);
        if (vocabulary <= 0 || units <= 0) {
            throw new IllegalArgumentException("Embedding " + name + ": vocabulary and units must be positive, got vocabulary="
                    + vocabulary + ", units=" + units);
        }
        this.vocabulary = vocabulary;
        this.units = units;
        this.embeddings = new Parameter(name + ".embeddings", Tensor.zeros(vocabulary, units));
    }

    /** Number of distinct ids, 0 … vocabulary − 1. */
    public int vocabulary() {
        return vocabulary;
    }

    /** Size of each embedding vector. */
    public int units() {
        return units;
    }

    /** The live table, (vocabulary, units): row i is id i's vector. */
    public Tensor embeddings() {
        return embeddings.value();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(embeddings);
    }

    /** Keras's default {@code uniform} initialiser: values in ±0.05. */
    @Override
    public void initialize(Random random) {
        float[] e = embeddings.value().buffer();
        for (int i = 0; i < e.length; i++) {
            e[i] = (float) ((2 * random.nextDouble() - 1) * 0.05);
        }
    }

    /** ids (B, steps) give (B, steps, units); ids (B,) give (B, units). */
    @Override
    public int[] outputShape(int[]... inputShapes) {
        if (inputShapes.length != 1 || inputShapes[0].length < 1 || inputShapes[0].length > 2) {
            throw shapeError("ids (B, steps) or (B,)", inputShapes);
        }
        int[] in = inputShapes[0];
        int[] out = Arrays.copyOf(in, in.length + 1);
        out[in.length] = units;
        return out;
    }

    /**
     * Looks every id up, after checking them all.
     *
     * @param ids (B, steps) or (B,), integer ids stored as floats
     * @param out (B, steps, units) or (B, units); overwritten
     * @throws TapgradDataException if an id is not an integer in [0, vocabulary); out is then unchanged
     */
    public void forward(Tensor ids, Tensor out) {
        checkShapes("forward", ids, out);
        float[] x = ids.buffer();
        int n = ids.size();
        for (int i = 0; i < n; i++) {
            float id = x[i];
            // The negated test catches NaN as well.
            if (!(id >= 0 && id < vocabulary && id == (int) id)) {
                throw badId(ids, i, id);
            }
        }
        float[] table = embeddings.value().buffer();
        float[] o = out.buffer();
        for (int i = 0; i < n; i++) {
            System.arraycopy(table, (int) x[i] * units, o, i * units, units);
        }
    }

    /**
     * Adds dL/dembeddings, the rows of {@code gOut} summed by id, to the table's gradient. Ids
     * have no gradient. The ids were checked by {@link #forward}.
     *
     * @param ids the input of the forward call
     * @param gOut dL/dout, shaped as out; only read
     */
    public void backward(Tensor ids, Tensor gOut) {
        checkShapes("backward", ids, gOut);
        float[] x = ids.buffer();
        float[] g = gOut.buffer();
        float[] ge = embeddings.grad().buffer();
        int n = ids.size();
        for (int i = 0; i < n; i++) {
            int row = (int) x[i] * units;
            int src = i * units;
            for (int k = 0; k < units; k++) {
                ge[row + k] += g[src + k];
            }
        }
    }

    private TapgradDataException badId(Tensor ids, int i, float id) {
        String where = ids.rank() == 2 ? "example " + i / ids.dim(1) + ", step " + i % ids.dim(1) : "example " + i;
        String what = id == Math.floor(id) ? "outside [0, " + vocabulary + ")" : "not an integer";
        return new TapgradDataException("Embedding " + name() + ": id " + id + " at " + where + " is " + what
                + "; ids must be integers 0 … " + (vocabulary - 1) + " (raise vocabulary or map the id)");
    }

    /** Checks ids (B, steps) or (B,) against out (..., units); allocates nothing. */
    private void checkShapes(String op, Tensor ids, Tensor out) {
        boolean ok = (ids.rank() == 1 || ids.rank() == 2) && out.rank() == ids.rank() + 1
                && out.dim(ids.rank()) == units;
        for (int a = 0; ok && a < ids.rank(); a++) {
            ok = out.dim(a) == ids.dim(a);
        }
        if (!ok) {
            throw new IllegalArgumentException("Embedding " + name() + " " + op + ": expected ids (B, steps) or (B,) and out (..., "
                    + units + "), got ids " + Arrays.toString(ids.shape()) + " and out " + Arrays.toString(out.shape()));
        }
    }
}
