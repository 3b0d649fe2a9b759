package org.cpis.engine.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run}: starts the engine and keeps it running until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Start the engine.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--demo", description = "Start on embedded defaults with sample councils and flags.")
    boolean demo;

    @Override
    public Integer call() throws Exception {
        throw new UnsupportedOperationException("run is being built");
    }
}
