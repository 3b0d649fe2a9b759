package org.cpis.engine.cli;

import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cpis.engine.app.Engine;
import org.cpis.engine.config.EngineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run}: starts the engine and keeps it running until stopped (Ctrl-C or SIGTERM). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Start the engine: MLLP intake, durable queue, processing stages and HTTP server.",
            "Every setting comes from application.properties, -Dkey=value or CPIS_* environment variables."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--demo", description = "Start on embedded defaults with sample councils and flags.")
    boolean demo;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data folder (cpis.data.dir).")
    String dataDir;

    @Option(names = "--mllp-port", paramLabel = "PORT", description = "MLLP port (cpis.mllp.port).")
    Integer mllpPort;

    @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port (cpis.http.port).")
    Integer httpPort;

    @Override
    public Integer call() throws Exception {
        Properties overrides = new Properties();
        if (dataDir != null) {
            overrides.setProperty("cpis.data.dir", dataDir);
        }
        if (mllpPort != null) {
            overrides.setProperty("cpis.mllp.port", mllpPort.toString());
        }
        if (httpPort != null) {
            overrides.setProperty("cpis.http.port", httpPort.toString());
        }
        if (demo) {
            overrides.setProperty("cpis.demo", "true");
        }
        EngineConfig config = EngineConfig.load(overrides, System.getenv());
        Engine engine = Engine.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.close();
            stopped.countDown();
        }, "cpis-shutdown"));
        stopped.await();
        return 0;
    }
}
