package dev.tapgrad.runtime.train;

import dev.tapgrad.runtime.History;
import dev.tapgrad.runtime.Parameter;
import dev.tapgrad.runtime.io.Checkpoints;
import dev.tapgrad.runtime.optim.Optimizer;
import dev.tapgrad.runtime.optim.OptimizerState;
import dev.tapgrad.runtime.optim.Schedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What a {@link Callback} may see and do while {@code fit} runs, in place of Keras's {@code
 * self.model}: stop training after the current epoch, read and set the learning rate, read the
 * history so far, and read, copy or save the weights.
 */
public final class TrainingControl {
    private final CompiledGraph graph;
    private final Optimizer optimizer;
    private final OptimizerState state;
    private final List<Map<String, Double>> records;
    private final int epochs;
    private final List<Parameter> weights;
    private boolean stop;

    TrainingControl(CompiledGraph graph, Optimizer optimizer, OptimizerState state, List<Map<String, Double>> records,
            int epochs) {
        this.graph = graph;
        this.optimizer = optimizer;
        this.state = state;
        this.records = records;
        this.epochs = epochs;
        List<Parameter> all = new ArrayList<>(graph.parameters());
        all.addAll(graph.state());
        this.weights = Collections.unmodifiableList(all);
    }

    /** Ends training after the current epoch (Keras's {@code model.stop_training = True}). */
    public void stopTraining() {
        stop = true;
    }

    /** Whether some callback asked to stop. */
    public boolean stopRequested() {
        return stop;
    }

    /** The model's simple class name. */
    public String modelName() {
        return graph.modelName();
    }

    /** The last epoch this fit runs to, as {@code Fit.epochs}. */
    public int epochs() {
        return epochs;
    }

    /** The learning rate of the next step. */
    public double learningRate() {
        double set = state.learningRateOverride();
        if (!Double.isNaN(set)) {
            return set;
        }
        Schedule schedule = optimizer.schedule();
        return schedule == null ? Double.NaN : schedule.at(state.iterations());
    }

    /**
     * Uses {@code lr} from the next step on; it stays with the model for later fits with the same
     * optimizer, and is saved in backups.
     *
     * @throws IllegalStateException if the optimizer's rate is a schedule, which decides it (as Keras refuses)
     * @throws IllegalArgumentException unless {@code lr} is finite and > 0
     */
    public void learningRate(double lr) {
        if (!settableLearningRate(optimizer)) {
            throw new IllegalStateException("the learning rate of " + optimizer + " follows a schedule and cannot be "
                    + "set while training; use a constant rate, e.g. " + optimizer.kind() + ".lr(1e-3)");
        }
        state.overrideLearningRate(lr);
    }

    static boolean settableLearningRate(Optimizer optimizer) {
        return optimizer.schedule() != null && optimizer.schedule().isConstant();
    }

    /** The epochs completed so far, with those restored from a backup. */
    public History history() {
        return History.of(records);
    }

    /** The parameters, then the layers' untrained state: live, a callback may copy from and into them. */
    public List<Parameter> weights() {
        return weights;
    }

    /** Writes {@link #weights()} as a checkpoint that {@code TrainableModel.load} reads. */
    public void save(Path file) throws IOException {
        Checkpoints.save(file, weights);
    }
}
