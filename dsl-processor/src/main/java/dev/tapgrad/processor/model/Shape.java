package dev.tapgrad.processor.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A compile-time shape: fixed dimensions, optionally preceded by the symbolic batch dimension
 * {@code B} that is only known at run time. Layer outputs are batched; parameters are not.
 */
public record Shape(boolean batched, List<Integer> dims) {
    /** The rank-0 shape of a scalar. */
    public static final Shape SCALAR = new Shape(false, List.of());

    public Shape {
        dims = List.copyOf(dims);
    }

    /** A batched shape {@code (B, dims...)}. */
    public static Shape batch(int... dims) {
        return new Shape(true, Arrays.stream(dims).boxed().toList());
    }

    /** A shape without batch dimension. */
    public static Shape fixed(int... dims) {
        return new Shape(false, Arrays.stream(dims).boxed().toList());
    }

    /** Number of dimensions, counting the batch dimension. */
    public int rank() {
        return dims.size() + (batched ? 1 : 0);
    }

    /** The dimensions after the batch dimension (all of them for an unbatched shape). */
    public int[] exampleDims() {
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Number of values per example (product of the fixed dimensions). */
    public long exampleSize() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Whether this is a rank-0 scalar. */
    public boolean isScalar() {
        return !batched && dims.isEmpty();
    }

    /** Every dimension as text, the batch dimension as {@code B}. */
    public List<String> dimNames() {
        List<String> names = new ArrayList<>();
        if (batched) {
            names.add("B");
        }
        dims.forEach(d -> names.add(Integer.toString(d)));
        return names;
    }

    /** As written in messages: {@code (B, 26, 26, 32)}, {@code (3, 3, 1, 32)}, {@code ()}. */
    @Override
    public String toString() {
        List<String> names = dimNames();
        return names.size() == 1 ? "(" + names.get(0) + ",)" : names.stream().collect(Collectors.joining(", ", "(", ")"));
    }
}
