package dev.tapgrad.samples;

import com.google.gson.Gson;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Base of every sample subcommand: the shared options, option checks, data loading, and the JSON
 * summary line. A new case extends it, annotates itself with {@code @Command(name = "...")},
 * passes its default epoch count to the constructor, implements {@link #run()} and is listed in
 * {@link Main}'s subcommands.
 */
public abstract class SampleCommand implements Callable<Integer> {
    private static final Gson GSON = new Gson();
    /** Examples per training step unless a case or {@code --batch-size} says otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions options;

    /**
     * Sets this case's defaults; the checkpoint defaults to {@code <case>.safetensors}.
     *
     * @param defaultEpochs epochs when {@code --epochs} is not given
     */
    protected SampleCommand(int defaultEpochs) {
        this(defaultEpochs, DEFAULT_BATCH_SIZE);
    }

    /**
     * Sets this case's defaults, with its own batch size (Keras's mnist_convnet trains with 128).
     *
     * @param defaultEpochs epochs when {@code --epochs} is not given
     * @param defaultBatchSize examples per step when {@code --batch-size} is not given
     */
    protected SampleCommand(int defaultEpochs, int defaultBatchSize) {
        // Set before picocli reads the mixin, so these become the defaults that --help shows.
        this.options = new CommonOptions(defaultEpochs, defaultBatchSize, Path.of(caseName() + ".safetensors"));
    }

    /** The case's name on the command line, e.g. {@code sparse-cnn}. */
    public final String caseName() {
        return getClass().getAnnotation(Command.class).name();
    }

    /** The shared options, as parsed. */
    protected final CommonOptions options() {
        return options;
    }

    @Override
    public final Integer call() throws Exception {
        if (!readsDataFolder() && options.data != null) {
            // Ignored rather than rejected: a script that passes the same options to every case keeps working.
            warning(caseName() + " generates its own data; --data " + options.data + " is ignored");
            options.data = null;
        }
        options.validate();
        return run();
    }

    /**
     * Whether this case reads {@code --data}; the synthetic cases generate their data and return
     * false, so the option is reported as ignored and its folder is not checked.
     */
    protected boolean readsDataFolder() {
        return true;
    }

    /**
     * Trains, evaluates and saves; prints the JSON summary with {@link #printSummary} last.
     *
     * @return the exit code: 0, or 1 if a self-check failed
     */
    protected abstract int run() throws Exception;

    /** The bundled subset, or the {@code --data} folder; missing files are a usage error (exit 2). */
    protected final FashionMnist.Data fashionMnist() throws IOException {
        try {
            return options.data() == null ? FashionMnist.bundled() : FashionMnist.fromFolder(options.data());
        } catch (FashionMnist.MissingFilesException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** A line about what is happening, on standard error (standard output is for results); none with --quiet. */
    protected final void progress(String line) {
        if (!options.quiet()) {
            spec.commandLine().getErr().println(line);
            spec.commandLine().getErr().flush();
        }
    }

    /** A warning on standard error, even with --quiet: it concerns the options the user passed. */
    protected final void warning(String line) {
        spec.commandLine().getErr().println(line);
        spec.commandLine().getErr().flush();
    }

    /** A human-readable result line on standard output, before the JSON; none with --quiet. */
    protected final void result(String line) {
        if (!options.quiet()) {
            spec.commandLine().getOut().println(line);
        }
    }

    /** Prints {@code summary} as one JSON object on one line: always the last line of standard output. */
    protected final void printSummary(Map<String, Object> summary) {
        spec.commandLine().getOut().println(GSON.toJson(summary));
        spec.commandLine().getOut().flush();
    }

    /**
     * {@code value} rounded to {@code digits} significant digits for the summary, or null if it is
     * not finite: JSON has no NaN, and a diverged run should still print a parseable line.
     */
    protected static Double round(double value, int digits) {
        if (!Double.isFinite(value)) {
            return null;
        }
        return new BigDecimal(value).round(new MathContext(digits, RoundingMode.HALF_EVEN)).doubleValue();
    }
}
