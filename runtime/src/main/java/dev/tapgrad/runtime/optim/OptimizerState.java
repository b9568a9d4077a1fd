package dev.tapgrad.runtime.optim;

import dev.tapgrad.runtime.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an optimizer remembers between steps, kept on the model between {@code fit} calls and saved
 * in backups, as Keras keeps it in the optimizer's variables: the step count (which a {@link
 * Schedule} reads and Adam's bias correction uses), per-parameter slots (moments, velocities) by
 * name, and a learning rate set while training ({@code ReduceLrOnPlateau}). A state belongs to one
 * kind of optimizer: an optimizer of another kind starts it over.
 */
public final class OptimizerState {
    private String kind = "";
    private long iterations;
    private double learningRate = Double.NaN;
    private final Map<String, float[][]> slots = new LinkedHashMap<>();

    /** An empty state: no steps, no slots. */
    public OptimizerState() {}

    /** Steps taken so far. */
    public long iterations() {
        return iterations;
    }

    /** Counts one more step; the updaters call it after each update. */
    void advance() {
        iterations++;
    }

    /** The kind of optimizer the slots belong to ({@code "Adam"}, ...), empty before the first. */
    public String kind() {
        return kind;
    }

    /**
     * Makes this the state of a {@code kind} optimizer: unchanged if it already is, otherwise
     * emptied (no steps, no slots, no learning rate set), as a new optimizer in Keras starts.
     */
    public void adopt(String kind) {
        if (!kind.equals(this.kind)) {
            this.kind = kind;
            iterations = 0;
            learningRate = Double.NaN;
            slots.clear();
        }
    }

    /** The learning rate set while training, or NaN when the optimizer's own applies. */
    public double learningRateOverride() {
        return learningRate;
    }

    /**
     * Replaces the optimizer's learning rate from the next step on (NaN returns to the optimizer's).
     *
     * @throws IllegalArgumentException for a rate that is not NaN and not finite and > 0
     */
    public void overrideLearningRate(double lr) {
        if (!Double.isNaN(lr) && (!(lr > 0) || Double.isInfinite(lr))) {
            throw new IllegalArgumentException("a learning rate must be finite and > 0, got " + lr);
        }
        learningRate = lr;
    }

    /** The slot {@code name}, one zero array per parameter the first time it is asked for. */
    float[][] slot(String name, List<Parameter> params) {
        float[][] s = slots.get(name);
        if (s == null || s.length != params.size()) {
            s = new float[params.size()][];
            slots.put(name, s);
        }
        for (int i = 0; i < s.length; i++) {
            if (s[i] == null || s[i].length != params.get(i).value().size()) {
                s[i] = new float[params.get(i).value().size()];
            }
        }
        return s;
    }

    /** Every slot by name, one array per parameter, live (a backup copies them). */
    public Map<String, float[][]> slots() {
        return Collections.unmodifiableMap(slots);
    }

    /**
     * Sets this state to one read from a backup: its kind, step count, learning rate set while
     * training, and slots (the arrays are taken, not copied).
     */
    public void restore(String kind, long iterations, double learningRate, Map<String, float[][]> slots) {
        this.kind = kind;
        this.iterations = iterations;
        this.learningRate = learningRate;
        this.slots.clear();
        this.slots.putAll(slots);
    }
}
