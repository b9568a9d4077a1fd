package dev.tapgrad.samples;

import dev.tapgrad.samples.activationloss.ActivationLossSample;
import dev.tapgrad.samples.convnet.ConvNetSample;
import dev.tapgrad.samples.diversemlp.DiverseMlpSample;
import dev.tapgrad.samples.helperloss.HelperLossSample;
import dev.tapgrad.samples.priorlstm.PriorLstmSample;
import dev.tapgrad.samples.sparsecnn.SparseCnnSample;
import dev.tapgrad.samples.textgru.TextGruSample;
import dev.tapgrad.samples.vae.VaeSample;
import dev.tapgrad.samples.weightloss.WeightLossSample;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of {@code tapgrad-samples.jar}: {@code java -jar tapgrad-samples.jar <case> [options]}
 * runs one of the design's cases on Fashion-MNIST or on data it generates, and ends with a JSON summary line.
 */
@Command(name = "tapgrad-samples",
        // INHERIT gives every case --help and --version without repeating it on each subcommand.
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        synopsisSubcommandLabel = "CASE",
        description = "Runs a Tapgrad sample: trains it, evaluates it on the test set, saves the weights, "
                + "and prints the figures as one JSON line last on standard output.",
        subcommands = {
            SparseCnnSample.class,
            PriorLstmSample.class,
            DiverseMlpSample.class,
            ActivationLossSample.class,
            WeightLossSample.class,
            HelperLossSample.class,
            TextGruSample.class,
            ConvNetSample.class,
            VaeSample.class,
        })
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    /** Exit code for bad options or missing input files (picocli's usage code). */
    public static final int USAGE = CommandLine.ExitCode.USAGE;

    /** Only picocli constructs the command. */
    Main() {}

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(),
                "name a case: " + String.join(", ", spec.subcommands().keySet()));
    }

    /** Runs the command line and exits with its code: 0 success, 1 failure, 2 bad usage. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it in-process. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((e, line, parsed) -> failure(e, line));
        return cl;
    }

    // One line, no usage dump and no stack trace: the user made a typo, not the program.
    private static int usageError(ParameterException e, String[] args) {
        CommandLine line = e.getCommandLine();
        StringBuilder msg = new StringBuilder(line.getCommandSpec().qualifiedName()).append(": ").append(e.getMessage());
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            msg.append(" (did you mean ").append(String.join(" or ", u.getSuggestions())).append("?)");
        }
        msg.append("; see '").append(line.getCommandSpec().qualifiedName()).append(" --help'");
        PrintWriter err = line.getErr();
        err.println(msg);
        err.flush();
        return USAGE;
    }

    // Errors in the data or the file system, and a diverged run (the runtime's
    // TrainingDivergedException is an ArithmeticException), are reported in one line like usage
    // errors; anything else is a bug, so its stack trace is what the report needs.
    private static int failure(Exception e, CommandLine line) {
        PrintWriter err = line.getErr();
        if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof ArithmeticException) {
            err.println(line.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        } else {
            e.printStackTrace(err);
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** Reports the version from the jar's manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tapgrad-samples " + (v == null ? "(development build, not from the jar)" : v)};
        }
    }
}
