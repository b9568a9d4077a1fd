package dev.tapgrad.processor.ad;

import dev.tapgrad.processor.model.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of a value inside a loss body. Unlike a layer's {@link Shape}, the batch dimension
 * {@code B} may sit on any axis and more than once: {@code transpose(unit)} of a {@code (B, 64)}
 * value is {@code (64, B)}, and {@code matmul(unit, transpose(unit))} is {@code (B, B)}. A tensor
 * constant of the model class has a shape known only at run time: {@link #UNKNOWN}.
 *
 * @param sizes each dimension, {@link #B} for the batch dimension; null for {@link #UNKNOWN}
 */
record Dims(List<Integer> sizes) {
    /** The batch dimension among {@link #sizes}. */
    static final int B = -1;
    /** A value whose shape is not known at compile time; checks involving it are skipped. */
    static final Dims UNKNOWN = new Dims(null);
    static final Dims SCALAR = new Dims(List.of());

    Dims {
        sizes = sizes == null ? null : List.copyOf(sizes);
    }

    static Dims of(Shape s) {
        List<Integer> sizes = new ArrayList<>();
        if (s.batched()) {
            sizes.add(B);
        }
        sizes.addAll(s.dims());
        return new Dims(sizes);
    }

    boolean known() {
        return sizes != null;
    }

    int rank() {
        return sizes.size();
    }

    int get(int axis) {
        return sizes.get(axis);
    }

    boolean hasBatch() {
        return sizes.contains(B);
    }

    boolean isScalar() {
        return known() && sizes.isEmpty();
    }

    /** As a layer shape, when the batch dimension appears at most once and first; otherwise null. */
    Shape toShape() {
        if (!known()) {
            return null;
        }
        boolean batched = !sizes.isEmpty() && sizes.get(0) == B;
        List<Integer> rest = sizes.subList(batched ? 1 : 0, sizes.size());
        return rest.contains(B) ? null : new Shape(batched, rest);
    }

    /** One dimension as text: {@code B} or the number. */
    static String name(int size) {
        return size == B ? "B" : Integer.toString(size);
    }

    /** As written in messages, like {@link Shape}: {@code (B, 64)}, {@code (64,)}, {@code ()}. */
    @Override
    public String toString() {
        if (!known()) {
            return "(shape known at run time)";
        }
        List<String> names = sizes.stream().map(Dims::name).toList();
        return names.size() == 1 ? "(" + names.get(0) + ",)" : names.stream().collect(Collectors.joining(", ", "(", ")"));
    }
}
