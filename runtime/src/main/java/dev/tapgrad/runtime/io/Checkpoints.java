package dev.tapgrad.runtime.io;

import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
     * Reads {@code file} and copies each tensor into the parameter of the same name, all or nothing:
     * the whole file is checked against the safetensors rules and the model, and every value read
     * and checked finite, before the first parameter changes (see {@link SafetensorsReader}).
     *
     * @param modelName the model's name, for messages
     * @throws CheckpointException if the file breaks a rule of the format, any parameter is
     *     missing, has another dtype or shape, the file holds tensors the model does not have, or a
     *     value is NaN or infinite; the message names the file, the tensor and the rule (its short
     *     id in brackets, listed in docs/diagnostics.md), and no weight has changed
     */
    public static void load(Path file, List<Parameter> params, String modelName) throws IOException {
        SafetensorsReader.load(file, params, modelName);
    }
}
