package dev.tapgrad.runtime.io;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A model's parameters as a safetensors file, keyed by their {@code layer.param} names with Keras
 * layouts. Loading checks the whole file against the model before copying anything, so a file that
 * does not match leaves the weights as they were.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** Writes every parameter's value (atomically: see {@link Safetensors#write}). */
    public static void save(Path file, List<Parameter> params) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : params) {
            if (tensors.put(p.name(), p.value()) != null) {
                throw new IllegalArgumentException("two parameters are named '" + p.name() + "'; checkpoint keys must be unique");
            }
        }
        Safetensors.write(file, tensors);
    }

    /**
     * Reads {@code file} and copies each tensor into the parameter of the same name.
     *
     * @param modelName the model's name, for messages
     * @throws CheckpointException if the file is unreadable, or any parameter is missing, has
     *     another shape, or the file holds tensors the model does not have; every mismatch is
     *     listed, and no weight has changed
     */
    public static void load(Path file, List<Parameter> params, String modelName) throws IOException {
        Map<String, Tensor> tensors = Safetensors.read(file);
        List<String> problems = new ArrayList<>();
        for (Parameter p : params) {
            Tensor t = tensors.get(p.name());
            if (t == null) {
                problems.add("missing " + p.name() + " " + format(p.value().shape()));
            } else if (!t.sameShape(p.value())) {
                problems.add(p.name() + " has shape " + format(t.shape()) + " in the file but "
                        + format(p.value().shape()) + " in " + modelName);
            }
        }
        List<String> names = params.stream().map(Parameter::name).collect(Collectors.toList());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (!names.contains(e.getKey())) {
                problems.add("unexpected " + e.getKey() + " " + format(e.getValue().shape()) + ", which " + modelName
                        + " does not have");
            }
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(file, "does not match " + modelName + " (its parameters are " + names + "): "
                    + String.join("; ", problems) + ". No weights were changed.");
        }
        for (Parameter p : params) {
            p.value().copyFrom(tensors.get(p.name()));
        }
    }

    private static String format(int[] shape) {
        return Arrays.toString(shape).replace('[', '(').replace(']', ')');
    }
}
