package dev.tapgrad.processor.layers;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapgrad.Activation;
import dev.tapgrad.Padding;
import dev.tapgrad.processor.diag.Origin;
import dev.tapgrad.processor.diag.Report;
import dev.tapgrad.processor.model.LayerAttributes;
import dev.tapgrad.processor.model.LayerSpec;
import dev.tapgrad.processor.model.LayerType;
import dev.tapgrad.processor.model.Shape;
import dev.tapgrad.runtime.layers.AbstractLayer;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Every layer type's compile-time shape rule against its runtime layer, on random valid
 * configurations: the runtime layer is built from the descriptor's constructor arguments exactly as
 * generated code builds it, and its {@code outputShape} and parameter shapes must be what the
 * descriptor inferred. A change on either side that the other does not follow fails here.
 */
class DescriptorsMatchRuntimeTest {
    private static final int CASES = 400;

    /** A layer's attributes and the (batched) shapes of its inputs. */
    private record Case(LayerAttributes attributes, List<Shape> inputs) {}

    /** Random valid configurations, one generator per built-in type. */
    private static final Map<String, Function<Random, Case>> VALID = Map.ofEntries(
            Map.entry("MaxPool2D", DescriptorsMatchRuntimeTest::pool2d),
            Map.entry("AvgPool2D", DescriptorsMatchRuntimeTest::pool2d),
            Map.entry("GlobalAvgPool2D", r -> new Case(none(), List.of(randomShape(r, 3, 12)))),
            Map.entry("GlobalMaxPool2D", r -> new Case(none(), List.of(randomShape(r, 3, 12)))),
            Map.entry("GlobalAvgPool1D", r -> new Case(none(), List.of(randomShape(r, 2, 30)))),
            Map.entry("GlobalMaxPool1D", r -> new Case(none(), List.of(randomShape(r, 2, 30)))),
            Map.entry("Conv1D", DescriptorsMatchRuntimeTest::conv1d),
            Map.entry("Reshape", DescriptorsMatchRuntimeTest::reshape),
            Map.entry("Dense", DescriptorsMatchRuntimeTest::dense),
            Map.entry("Conv2D", DescriptorsMatchRuntimeTest::conv2d),
            Map.entry("Flatten", r -> new Case(none(), List.of(randomShape(r, 1 + r.nextInt(4), 12)))),
            Map.entry("Lstm", DescriptorsMatchRuntimeTest::lstm),
            Map.entry("Add", r -> {
                Shape s = randomShape(r, 1 + r.nextInt(3), 10);
                return new Case(none(), Collections.nCopies(2 + r.nextInt(3), s));
            }),
            Map.entry("Concatenate", DescriptorsMatchRuntimeTest::concatenate),
            Map.entry("Embedding", DescriptorsMatchRuntimeTest::embedding),
            Map.entry("Gru", DescriptorsMatchRuntimeTest::lstm),
            Map.entry("Dropout", r -> new Case(modal(r), List.of(randomShape(r, 1 + r.nextInt(4), 12)))),
            Map.entry("BatchNorm", r -> new Case(modal(r), List.of(randomShape(r, 1 + r.nextInt(4), 12)))),
            Map.entry("LayerNorm", r -> new Case(modal(r), List.of(randomShape(r, 1 + r.nextInt(4), 12)))));

    @Test
    void everyTypeHasAGenerator() {
        assertThat(VALID.keySet()).containsExactlyElementsIn(LayerCatalogue.names());
    }

    @Test
    void shapeRulesAgreeWithRuntimeLayers() throws Exception {
        Random random = new Random(11);
        for (LayerType type : LayerCatalogue.BUILT_IN) {
            for (int n = 0; n < CASES; n++) {
                Case c = VALID.get(type.simpleName()).apply(random);
                String what = type.simpleName() + " " + c;
                Shape expected = inferred(type, c);
                assertWithMessage(what).that(expected).isNotNull();
                AbstractLayer layer = build(type, c);
                int batch = 1 + random.nextInt(9);
                int[][] in = c.inputs().stream().map(s -> withBatch(batch, s)).toArray(int[][]::new);
                assertWithMessage(what).that(layer.outputShape(in)).isEqualTo(withBatch(batch, expected));
                Map<String, List<Integer>> runtimeParams = new LinkedHashMap<>();
                for (var p : layer.parameters()) {
                    runtimeParams.put(p.name(), Arrays.stream(p.value().shape()).boxed().toList());
                }
                Map<String, List<Integer>> descriptorParams = new LinkedHashMap<>();
                type.parameterShapes(c.attributes(), c.inputs())
                        .forEach((k, s) -> descriptorParams.put("l." + k, s.dims()));
                assertWithMessage(what).that(runtimeParams).containsExactlyEntriesIn(descriptorParams).inOrder();
                assertWithMessage(what).that(type.parameterNames()).containsExactlyElementsIn(
                        type.parameterShapes(c.attributes(), c.inputs()).keySet()).inOrder();
            }
        }
    }

    /** Merges take no configuration, so both sides must also agree on which inputs they refuse. */
    @Test
    void mergesRefuseTheSameInputs() throws Exception {
        Random random = new Random(12);
        int refused = 0;
        for (LayerType type : List.of(new AddType(), new ConcatenateType())) {
            for (int n = 0; n < CASES; n++) {
                Case c = VALID.get(type.simpleName()).apply(random);
                List<Shape> in = new ArrayList<>(c.inputs());
                int k = random.nextInt(in.size());
                List<Integer> dims = new ArrayList<>(in.get(k).dims());
                int axis = random.nextInt(dims.size());
                dims.set(axis, dims.get(axis) + 1 + random.nextInt(3)); // the last axis is free for Concatenate only
                in.set(k, new Shape(true, dims));
                Case changed = new Case(c.attributes(), in);
                Shape expected = inferred(type, changed);
                AbstractLayer layer = build(type, changed);
                int[][] shapes = in.stream().map(s -> withBatch(4, s)).toArray(int[][]::new);
                if (expected == null) {
                    refused++;
                    assertThrows(IllegalArgumentException.class, () -> layer.outputShape(shapes), type.simpleName() + " " + in);
                } else {
                    assertWithMessage(type.simpleName() + " " + in).that(layer.outputShape(shapes))
                            .isEqualTo(withBatch(4, expected));
                }
            }
        }
        assertThat(refused).isGreaterThan(CASES); // every Add case, and Concatenate's off the last axis
    }

    /** A VALID kernel larger than the image: the descriptor reports it, the runtime layer cannot be built. */
    @Test
    void conv2dRefusesAKernelLargerThanItsInput() {
        Random random = new Random(13);
        LayerType type = new Conv2DType();
        for (int n = 0; n < CASES; n++) {
            int h = 1 + random.nextInt(6);
            int w = 1 + random.nextInt(6);
            List<Integer> kernel = List.of(h + 1 + random.nextInt(3), 1 + random.nextInt(w + 3));
            if (random.nextBoolean()) {
                kernel = List.of(kernel.get(1), w + 1 + random.nextInt(3));
            }
            Case c = new Case(convAttributes(1 + random.nextInt(8), kernel, List.of(), Padding.VALID, Activation.RELU),
                    List.of(Shape.batch(h, w, 1 + random.nextInt(4))));
            assertThat(inferred(type, c)).isNull();
            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> build(type, c));
            assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static Shape inferred(LayerType type, Case c) {
        List<String> from = IntStream.range(0, c.inputs().size()).mapToObj(i -> "in" + i).toList();
        Report r = new Report();
        Shape out = type.outputShape(new LayerSpec("l", type, c.attributes(), Origin.NONE), c.inputs(), from, r);
        assertThat(r.hasErrors()).isEqualTo(out == null);
        return out;
    }

    /** {@code new <Type>("l", constructorArguments...)}, as the generated constructor does. */
    private static AbstractLayer build(LayerType type, Case c) throws ReflectiveOperationException {
        List<Object> args = new ArrayList<>(List.of("l"));
        args.addAll(type.constructorArguments(c.attributes(), c.inputs()));
        Class<?> cls = Class.forName("dev.tapgrad.runtime.layers." + type.simpleName());
        Constructor<?>[] all = cls.getConstructors();
        if (all.length == 1 && all[0].isVarArgs()) { // Reshape(name, int... shape): the trailing ints are the array
            int fixed = all[0].getParameterCount() - 1;
            int[] rest = args.subList(fixed, args.size()).stream().mapToInt(o -> (Integer) o).toArray();
            List<Object> packed = new ArrayList<>(args.subList(0, fixed));
            packed.add(rest);
            return (AbstractLayer) all[0].newInstance(packed.toArray());
        }
        List<Constructor<?>> fitting = Arrays.stream(all).filter(k -> k.getParameterCount() == args.size()).toList();
        assertWithMessage(type.simpleName() + " constructors of " + args.size() + " parameters").that(fitting).hasSize(1);
        return (AbstractLayer) fitting.get(0).newInstance(args.toArray());
    }

    private static Case dense(Random r) {
        int features = 1 + r.nextInt(300);
        Shape in = r.nextBoolean() ? Shape.batch(features) : Shape.batch(1 + r.nextInt(20), features);
        return new Case(new LayerAttributes(1 + r.nextInt(100), 0, List.of(), List.of(), Padding.VALID,
                pick(r, Activation.values()), Map.of()), List.of(in));
    }

    private static Case conv2d(Random r) {
        while (true) {
            int h = 1 + r.nextInt(40);
            int w = 1 + r.nextInt(40);
            List<Integer> kernel = pair(r, 7);
            List<Integer> strides = r.nextInt(3) == 0 ? List.of() : pair(r, 4);
            Padding padding = pick(r, Padding.values());
            LayerAttributes a = convAttributes(1 + r.nextInt(64), kernel, strides, padding, pick(r, Activation.values()));
            if (padding == Padding.SAME || a.kernelH() <= h && a.kernelW() <= w) {
                return new Case(a, List.of(Shape.batch(h, w, 1 + r.nextInt(8))));
            }
        }
    }

    /** Pools that fit (VALID) or any (SAME), with the pool and strides written or left to Keras's defaults. */
    private static Case pool2d(Random r) {
        while (true) {
            int h = 1 + r.nextInt(30);
            int w = 1 + r.nextInt(30);
            List<Integer> pool = r.nextInt(3) == 0 ? List.of() : pair(r, 5);
            List<Integer> strides = r.nextInt(3) == 0 ? List.of() : pair(r, 4);
            Padding padding = pick(r, Padding.values());
            LayerAttributes a = new LayerAttributes(0, 0, List.of(), strides, padding, Activation.LINEAR, Map.of(), false,
                    pool, 0, LayerAttributes.DEFAULT_EPSILON, LayerAttributes.DEFAULT_MOMENTUM, 0, List.of());
            int ph = pool.isEmpty() ? 2 : pool.get(0);
            int pw = pool.isEmpty() ? 2 : pool.get(pool.size() - 1);
            if (padding == Padding.SAME || ph <= h && pw <= w) {
                return new Case(a, List.of(Shape.batch(h, w, 1 + r.nextInt(8))));
            }
        }
    }

    private static Case conv1d(Random r) {
        while (true) {
            int steps = 1 + r.nextInt(50);
            int k = 1 + r.nextInt(7);
            List<Integer> strides = r.nextInt(3) == 0 ? List.of() : List.of(1 + r.nextInt(4));
            Padding padding = pick(r, Padding.values());
            if (padding == Padding.SAME || k <= steps) {
                return new Case(convAttributes(1 + r.nextInt(32), List.of(k), strides, padding, pick(r, Activation.values())),
                        List.of(Shape.batch(steps, 1 + r.nextInt(8))));
            }
        }
    }

    /** A random input and a random factorisation of its size, sometimes with one -1. */
    private static Case reshape(Random r) {
        Shape in = randomShape(r, 1 + r.nextInt(3), 8);
        int size = (int) in.exampleSize();
        List<Integer> target = new ArrayList<>();
        int rest = size;
        for (int k = r.nextInt(3); k > 0; k--) {
            int left = rest;
            List<Integer> divisors = IntStream.rangeClosed(1, left).filter(d -> left % d == 0).boxed().toList();
            int d = divisors.get(r.nextInt(divisors.size()));
            target.add(d);
            rest /= d;
        }
        target.add(rest);
        java.util.Collections.shuffle(target, r);
        if (r.nextBoolean()) {
            target.set(r.nextInt(target.size()), -1);
        }
        return new Case(new LayerAttributes(0, 0, List.of(), List.of(), Padding.VALID, Activation.LINEAR, Map.of(), false,
                List.of(), 0, LayerAttributes.DEFAULT_EPSILON, LayerAttributes.DEFAULT_MOMENTUM, 0, target), List.of(in));
    }

    /** Dropout's rate and the normalisations' momentum and epsilon, each in its valid range. */
    private static LayerAttributes modal(Random r) {
        return new LayerAttributes(0, 0, List.of(), List.of(), Padding.VALID, Activation.LINEAR, Map.of(), false, List.of(),
                0.05 + 0.9 * r.nextDouble(), 1e-5 + r.nextDouble(), r.nextDouble(), 0, List.of());
    }

    private static Case lstm(Random r) {
        return new Case(new LayerAttributes(1 + r.nextInt(64), 0, List.of(), List.of(), Padding.VALID,
                Activation.LINEAR, Map.of(), r.nextBoolean()), List.of(Shape.batch(1 + r.nextInt(50), 1 + r.nextInt(20))));
    }

    private static Case embedding(Random r) {
        return new Case(new LayerAttributes(1 + r.nextInt(64), 0, List.of(), List.of(), Padding.VALID, Activation.LINEAR,
                Map.of(), false, List.of(), 0, LayerAttributes.DEFAULT_EPSILON, LayerAttributes.DEFAULT_MOMENTUM,
                1 + r.nextInt(1000), List.of()), List.of(Shape.batch(1 + r.nextInt(50))));
    }

    private static Case concatenate(Random r) {
        List<Integer> leading = randomShape(r, r.nextInt(3), 8).dims();
        List<Shape> in = new ArrayList<>();
        for (int k = 2 + r.nextInt(3); k > 0; k--) {
            List<Integer> dims = new ArrayList<>(leading);
            dims.add(1 + r.nextInt(20));
            in.add(new Shape(true, dims));
        }
        return new Case(none(), in);
    }

    private static LayerAttributes convAttributes(int filters, List<Integer> kernel, List<Integer> strides, Padding padding,
            Activation activation) {
        return new LayerAttributes(0, filters, kernel, strides, padding, activation, Map.of());
    }

    private static LayerAttributes none() {
        return new LayerAttributes(0, 0, List.of(), List.of(), Padding.VALID, Activation.LINEAR, Map.of());
    }

    /** One value (square) or two, each in 1..max. */
    private static List<Integer> pair(Random r, int max) {
        return r.nextBoolean() ? List.of(1 + r.nextInt(max)) : List.of(1 + r.nextInt(max), 1 + r.nextInt(max));
    }

    private static Shape randomShape(Random r, int rank, int max) {
        return new Shape(true, IntStream.range(0, rank).mapToObj(i -> 1 + r.nextInt(max)).toList());
    }

    private static int[] withBatch(int batch, Shape s) {
        return IntStream.concat(IntStream.of(batch), IntStream.of(s.exampleDims())).toArray();
    }

    private static <T> T pick(Random r, T[] values) {
        return values[r.nextInt(values.length)];
    }
}
