package io.sluice.app.cli;

import io.sluice.core.error.SluiceException;
import io.sluice.core.error.UnreachableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The {@code sluice} command. Exit codes: 0 done, 2 a problem the user can fix (named on stderr), 75 nothing answered
 * at MySQL's or Kafka's address (named on stderr the same way; a service manager retries it: the server may not be up
 * yet), 1 a bug.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = SluiceCli.Version.class,
        description = "Keeps Kafka in sync with MySQL: binlog changes as DTS Avro records.")
public final class SluiceCli {

    public static final int EXIT_USER_ERROR = 2;
    /** sysexits' EX_TEMPFAIL: the systemd unit restarts on it, not on {@link #EXIT_USER_ERROR}. */
    public static final int EXIT_UNREACHABLE = 75;

    /**
     * The subcommands, in the order the usage lists them. Picocli builds a command's model by reflection (~40 ms of
     * start-up each): a command line that names one gets only that one's, any other (help, a typo) all of them.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();
    static {
        SUBCOMMANDS.put("run", RunCommand::new);
        SUBCOMMANDS.put("check", CheckCommand::new);
        SUBCOMMANDS.put("status", StatusCommand::new);
        SUBCOMMANDS.put("tail", TailCommand::new);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand::new);
        SUBCOMMANDS.put("train-class-data", TrainClassDataCommand::new);
    }

    public static void main(String[] args) {
        String logFormatProblem = LogFormat.select(System.getenv(LogFormat.VARIABLE));
        if (logFormatProblem != null) {
            System.err.println("sluice: " + logFormatProblem);
            System.exit(EXIT_USER_ERROR);
        }
        OutOfMemoryExit.install();
        // java.util.logging (the binlog client's) into logback: one format, and logback.xml's levels
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        RunWarmUp.startFor(args);
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** The command with the subcommands {@code args} may need: all of them unless its first word names one (not help). */
    public static CommandLine commandLine(String... args) {
        CommandLine cmd = new CommandLine(new SluiceCli());
        String named = args.length > 0 && !args[0].equals("help") && SUBCOMMANDS.containsKey(args[0]) ? args[0] : null;
        SUBCOMMANDS.forEach((name, command) -> {
            if (named == null || named.equals(name)) cmd.addSubcommand(name, command.get());
        });
        return cmd;
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cmd = commandLine(args);
        cmd.setOut(out);
        cmd.setErr(err);
        // a mistyped command line: one line and where the usage is, like every other mistake
        cmd.setParameterExceptionHandler((ex, args1) -> {
            String command = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println("sluice: " + String.valueOf(ex.getMessage()).replaceAll("\\s*\\R\\s*", " ")
                    + " Fix: see '" + command + " --help'");
            return EXIT_USER_ERROR;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof SluiceException se) {
                err.println("sluice: " + se.oneLine());
                return se instanceof UnreachableException ? EXIT_UNREACHABLE : EXIT_USER_ERROR;
            }
            OutOfMemoryError oom = OutOfMemoryExit.find(ex);
            if (oom != null) { // not a bug: the heap is too small for the data (a large row, say)
                err.println(OutOfMemoryExit.message("the job", oom.getMessage(), Runtime.getRuntime().maxMemory()));
                return EXIT_USER_ERROR;
            }
            err.println("sluice: unexpected failure: " + ex);
            ex.printStackTrace(err);
            return 1;
        });
        return cmd.execute(args);
    }

    /** The jar's Maven version (manifest), and the checkout's git commit when bin/sluice passes it (-Dsluice.commit). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            String v = SluiceCli.class.getPackage().getImplementationVersion();
            String commit = System.getProperty("sluice.commit", "");
            return new String[] {"sluice " + (v == null ? "dev" : v) + (commit.isBlank() ? "" : " (commit " + commit + ")")};
        }
    }
}
