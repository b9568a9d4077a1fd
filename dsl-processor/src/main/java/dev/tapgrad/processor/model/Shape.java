package dev.tapgrad.processor.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A compile-time shape, the processor's one shape type for layers and loss bodies alike: fixed
 * dimensions and the symbolic batch dimension {@link #B}, known only at run time. A layer's output
 * is {@code (B, ...)} and a parameter has no B; inside a loss body B may move off the first axis
 * ({@code transpose} of {@code (B, 64)} is {@code (64, B)}) or appear twice ({@code matmul(u,
 * transpose(u))} is {@code (B, B)}). A tensor field of the model class has a shape known only at
 * run time: {@link #UNKNOWN}.
 *
 * @param sizes each dimension, {@link #B} for the batch dimension; null for {@link #UNKNOWN}
 */
public record Shape(List<Integer> sizes) {
    /** The batch dimension among {@link #sizes}. */
    public static final int B = -1;
    /**
     * The symbols a custom layer's {@code @Weight.shape} may name, standing for sizes known only
     * where the layer is used: the last dimension of its input, and the {@code @Layer} attributes
     * {@code units} and {@code filters}. The body of a {@code @CustomLayer} class is typed with them
     * where the class is compiled; every use types it again with the real sizes.
     */
    public static final int INPUT = -2;
    /** The {@code units} of the layer's use site; see {@link #INPUT}. */
    public static final int UNITS = -3;
    /** The {@code filters} of the layer's use site; see {@link #INPUT}. */
    public static final int FILTERS = -4;
    /** The rank-0 shape of a scalar. */
    public static final Shape SCALAR = new Shape(List.of());
    /** A shape not known at compile time (a tensor constant); checks involving it are skipped. */
    public static final Shape UNKNOWN = new Shape((List<Integer>) null);

    public Shape {
        sizes = sizes == null ? null : List.copyOf(sizes);
    }

    /** {@code (B, dims...)} when {@code batched}, otherwise {@code (dims...)}. */
    public Shape(boolean batched, List<Integer> dims) {
        this(prepend(batched, dims));
    }

    private static List<Integer> prepend(boolean batched, List<Integer> dims) {
        List<Integer> sizes = new ArrayList<>();
        if (batched) {
            sizes.add(B);
        }
        sizes.addAll(dims);
        return sizes;
    }

    /** A batched shape {@code (B, dims...)}. */
    public static Shape batch(int... dims) {
        return new Shape(true, Arrays.stream(dims).boxed().toList());
    }

    /** A shape without batch dimension. */
    public static Shape fixed(int... dims) {
        return new Shape(false, Arrays.stream(dims).boxed().toList());
    }

    /** Whether the dimensions are known at compile time (all but {@link #UNKNOWN}). */
    public boolean known() {
        return sizes != null;
    }

    /** Whether the first axis is the batch dimension, as for every layer output. */
    public boolean batched() {
        return known() && !sizes.isEmpty() && sizes.get(0) == B;
    }

    /** The dimensions after a leading batch dimension (all of them for an unbatched shape). */
    public List<Integer> dims() {
        return batched() ? sizes.subList(1, sizes.size()) : sizes;
    }

    /** Whether the batch dimension appears on any axis. */
    public boolean hasBatch() {
        return known() && sizes.contains(B);
    }

    /** Number of dimensions, counting the batch dimension. */
    public int rank() {
        return sizes.size();
    }

    /** The size of {@code axis}, {@link #B} for the batch dimension. */
    public int get(int axis) {
        return sizes.get(axis);
    }

    /** The dimensions after the batch dimension (all of them for an unbatched shape). */
    public int[] exampleDims() {
        return dims().stream().mapToInt(Integer::intValue).toArray();
    }

    /** Number of values per example (product of the fixed dimensions). */
    public long exampleSize() {
        long n = 1;
        for (int d : sizes) {
            n *= d == B ? 1 : d;
        }
        return n;
    }

    /** Whether this is a rank-0 scalar. */
    public boolean isScalar() {
        return known() && sizes.isEmpty();
    }

    /** One dimension as text: {@code B} or the number. */
    public static String name(int size) {
        return switch (size) {
            case B -> "B";
            case INPUT -> "input";
            case UNITS -> "units";
            case FILTERS -> "filters";
            default -> Integer.toString(size);
        };
    }

    /** Every dimension as text, the batch dimension as {@code B}. */
    public List<String> dimNames() {
        return sizes.stream().map(Shape::name).toList();
    }

    /** As the IR printer writes a float tensor's type: {@code f32[B,64]}, {@code f32[]}, {@code f32[?]}. */
    public String irType() {
        return known() ? "f32[" + String.join(",", dimNames()) + "]" : "f32[?]";
    }

    /** As written in messages: {@code (B, 26, 26, 32)}, {@code (64,)}, {@code ()}. */
    @Override
    public String toString() {
        if (!known()) {
            return "(shape known at run time)";
        }
        List<String> names = dimNames();
        return names.size() == 1 ? "(" + names.get(0) + ",)" : names.stream().collect(Collectors.joining(", ", "(", ")"));
    }
}
