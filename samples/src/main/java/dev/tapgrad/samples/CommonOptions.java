package dev.tapgrad.samples;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every sample shares, mixed into each subcommand so that a new case declares none of
 * them. Defaults that differ per case ({@code --epochs}, {@code --batch-size}, {@code --save}) are passed in by
 * {@link SampleCommand}.
 */
public final class CommonOptions {
    /** The subcommand this mixin is part of, for error messages that name it. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--epochs", paramLabel = "N",
            description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Examples per training step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed for the initial weights and the shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "1e-3",
            description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Folder with the four full Fashion-MNIST IDX files, plain or .gz: "
                    + "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
                    + "t10k-labels-idx1-ubyte (default: the bundled subset, 10,000 training and 2,000 test images).")
    Path data;

    @Option(names = "--limit", paramLabel = "N",
            description = "Train on the first N training examples only, for quick runs (default: all).")
    Integer limit;

    @Option(names = "--save", paramLabel = "FILE",
            description = "Where to write the trained weights (safetensors) (default: ${DEFAULT-VALUE}).")
    Path save;

    @Option(names = {"-q", "--quiet"},
            description = "No progress or result lines; standard output carries only the JSON line"
                    + " (and the --summary table, when asked for).")
    boolean quiet;

    @Option(names = "--summary",
            description = "Print the model's summary (layers, output shapes, parameters, aux losses) on standard output before training.")
    boolean summary;

    @Option(names = "--plot", paramLabel = "FILE",
            description = "Draw every loss term and metric per epoch, training and validation, into this PNG after training.")
    Path plot;

    @Option(names = "--schedule", paramLabel = "KIND", defaultValue = "constant",
            description = "Learning-rate schedule: constant, or cosine (from --lr down to 0 over all the run's steps,"
                    + " Schedule.cosineDecay) (default: ${DEFAULT-VALUE}).")
    LrSchedule schedule;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE",
            description = "Stop when val_loss has not improved for PATIENCE epochs and keep the best epoch's weights"
                    + " (EarlyStopping.monitor(\"val_loss\").patience(PATIENCE).restoreBestWeights()).")
    Integer earlyStopping;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Write one row per epoch (every term and metric, training and validation) to this CSV file.")
    Path csv;

    @Option(names = "--backup", paramLabel = "DIR",
            description = "Back the run up into this folder after every epoch; running the same command again resumes"
                    + " after the last complete epoch (Fit.backupTo).")
    Path backup;

    /** The learning-rate schedules the samples offer. */
    public enum LrSchedule {
        /** The same rate every step. */
        constant,
        /** Cosine decay from the rate to 0 over the run. */
        cosine
    }

    /**
     * Options with this case's defaults; the field values become picocli's initial values, which
     * {@code --help} shows and every parse starts from.
     */
    CommonOptions(int defaultEpochs, int defaultBatchSize, Path defaultSave) {
        this.epochs = defaultEpochs;
        this.batchSize = defaultBatchSize;
        this.save = defaultSave;
    }

    /** Number of epochs to train. */
    public int epochs() {
        return epochs;
    }

    /** Examples per training step. */
    public int batchSize() {
        return batchSize;
    }

    /** Seed for weights and shuffling. */
    public long seed() {
        return seed;
    }

    /** Adam learning rate. */
    public double lr() {
        return lr;
    }

    /** The --data folder, or null for the bundled subset. */
    public Path data() {
        return data;
    }

    /** The --limit, or null for the whole training set. */
    public Integer limit() {
        return limit;
    }

    /** The checkpoint file to write. */
    public Path save() {
        return save;
    }

    /** Whether to print the model's summary before training. */
    public boolean summary() {
        return summary;
    }

    /** The PNG to draw the training curves into, or null for none. */
    public Path plot() {
        return plot;
    }

    /** The learning-rate schedule. */
    public LrSchedule schedule() {
        return schedule;
    }

    /** The --early-stopping patience, or null for none. */
    public Integer earlyStopping() {
        return earlyStopping;
    }

    /** The CSV log file, or null for none. */
    public Path csv() {
        return csv;
    }

    /** The backup folder, or null for none. */
    public Path backup() {
        return backup;
    }

    /** Whether to suppress progress and result lines. */
    public boolean quiet() {
        return quiet;
    }

    /**
     * Rejects values picocli's type conversion lets through. Runs before any data is read, so a
     * typo costs nothing.
     *
     * @throws ParameterException (exit code 2) naming the option, the value and what is allowed
     */
    public void validate() {
        require(epochs >= 1, "--epochs must be at least 1, got " + epochs);
        require(batchSize >= 1, "--batch-size must be at least 1, got " + batchSize);
        require(lr > 0 && Double.isFinite(lr), "--lr must be a positive finite number, got " + lr);
        require(limit == null || limit >= 1, "--limit must be at least 1, got " + limit);
        if (data != null) {
            require(Files.exists(data), "--data folder " + data.toAbsolutePath() + " does not exist");
            require(Files.isDirectory(data), "--data must be a folder, but " + data.toAbsolutePath() + " is a file");
        }
        Path parent = save.toAbsolutePath().getParent();
        require(parent == null || Files.isDirectory(parent),
                "--save: folder " + parent + " does not exist; create it or choose another FILE");
        require(!Files.isDirectory(save), "--save must name a file, but " + save + " is a folder");
        require(earlyStopping == null || earlyStopping >= 0, "--early-stopping must be 0 or more epochs, got " + earlyStopping);
        require(backup == null || !Files.isRegularFile(backup), "--backup must name a folder, but " + backup + " is a file");
        requireFolderFor("--csv", csv);
        if (plot != null) {
            Path plotParent = plot.toAbsolutePath().getParent();
            require(plotParent == null || Files.isDirectory(plotParent),
                    "--plot: folder " + plotParent + " does not exist; create it or choose another FILE");
            require(!Files.isDirectory(plot), "--plot must name a file, but " + plot + " is a folder");
        }
    }

    private void requireFolderFor(String option, Path file) {
        if (file != null) {
            Path parent = file.toAbsolutePath().getParent();
            require(parent == null || Files.isDirectory(parent),
                    option + ": folder " + parent + " does not exist; create it or choose another FILE");
            require(!Files.isDirectory(file), option + " must name a file, but " + file + " is a folder");
        }
    }

    private void require(boolean ok, String message) {
        if (!ok) {
            throw new ParameterException(mixee.commandLine(), message);
        }
    }
}
