package org.cpis.engine.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code send}: an MLLP client. */
@Command(name = "send", mixinStandardHelpOptions = true, description = "Send HL7 files over MLLP.")
public final class SendCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("send is being built");
    }
}
