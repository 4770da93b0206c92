package io.sluice.app.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SluiceCliTest {

    private static final List<String> ALL = List.of("run", "check", "status", "tail", "help", "train-class-data");

    private static List<String> subcommands(String... args) {
        return List.copyOf(SluiceCli.commandLine(args).getSubcommands().keySet());
    }

    @Test
    void aCommandLineNamingASubcommandGetsOnlyItsModel() {
        assertEquals(List.of("run"), subcommands("run", "--config", "job.yaml"));
        assertEquals(List.of("tail"), subcommands("tail", "--help"));
    }

    @Test
    void anyOtherCommandLineGetsEverySubcommandInUsageOrder() {
        assertEquals(ALL, subcommands());
        assertEquals(ALL, subcommands("help", "run")); // help names its siblings
        assertEquals(ALL, subcommands("--version"));
        assertEquals(ALL, subcommands("rnu", "--config", "job.yaml")); // a typo: the usage lists them all
    }

    @Test
    void theSubsetParsesAsTheWholeDoes() {
        String[] args = {"run", "--config", "job.yaml", "--reinitialize"};
        CommandLine.ParseResult whole = SluiceCli.commandLine().parseArgs(args);
        CommandLine.ParseResult subset = SluiceCli.commandLine(args).parseArgs(args);
        RunCommand a = whole.subcommand().commandSpec().commandLine().getCommand();
        RunCommand b = subset.subcommand().commandSpec().commandLine().getCommand();
        assertEquals(a.config, b.config);
        assertEquals(a.reinitialize, b.reinitialize);
    }
}
