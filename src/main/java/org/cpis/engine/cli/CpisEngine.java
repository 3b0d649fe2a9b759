package org.cpis.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code cpis-engine.jar}. Each feature adds its subcommand class to the list below.
 */
@Command(name = "cpis-engine", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "HL7 v2 / FHIR interface engine for Child Protection - Information Sharing.",
        subcommands = {
            RunCommand.class,
            SendCommand.class,
            CouncilReceiverCommand.class,
            MapCommand.class,
            ValidateMappingsCommand.class,
            ImportFlagsCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class CpisEngine implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit code (tests call this in-process). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new CpisEngine());
        // Unknown options and bad values: one clear line on stderr, usage hint, exit code 2.
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine cmd = ex.getCommandLine();
            // picocli reports a missing parameter before an unknown option; the unknown option is the real fault.
            String message = !(ex instanceof CommandLine.UnmatchedArgumentException) && !cmd.getUnmatchedArguments().isEmpty()
                    ? "Unknown option: '" + cmd.getUnmatchedArguments().get(0) + "'" : ex.getMessage();
            cmd.getErr().println("cpis-engine: " + message);
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("cpis-engine: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
