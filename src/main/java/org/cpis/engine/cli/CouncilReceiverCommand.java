package org.cpis.engine.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.cpis.engine.http.HttpServer;
import org.cpis.engine.notify.NotificationValidator;
import org.cpis.engine.notify.receiver.CouncilReceiverServlet;
import org.cpis.engine.notify.receiver.ReceivedMessages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code council-receiver}: the reference council receiver on its own, so council IT can test their
 * side (and see what the engine sends) without running the engine.
 */
@Command(name = "council-receiver", mixinStandardHelpOptions = true,
        description = {"Run the reference council receiver: POST [base]/$process-message validates and keeps",
            "notification messages; GET [base]/Bundle lists them. Base: http://HOST:PORT/council-receiver/fhir"})
public final class CouncilReceiverCommand implements Callable<Integer> {
    public static final String PATH = "/council-receiver/fhir";

    @Spec
    CommandSpec spec;

    @Option(names = "--port", description = "TCP port to listen on (0 = any free port; default ${DEFAULT-VALUE}).", defaultValue = "8090")
    int port;

    @Option(names = "--host", description = "Address to listen on (default ${DEFAULT-VALUE}).", defaultValue = "0.0.0.0")
    String host;

    @Option(names = "--store", paramLabel = "DIR", description = "Also write every received message as JSON into DIR.")
    Path store;

    @Option(names = "--bearer-token-file", paramLabel = "FILE",
            description = "Require 'Authorization: Bearer <token>' with the token read from FILE (kept off the command line).")
    Path tokenFile;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            spec.commandLine().getErr().println("cpis-engine council-receiver: --port must be 0 to 65535, got " + port);
            return 2;
        }
        if (store != null && Files.exists(store) && !Files.isDirectory(store)) {
            spec.commandLine().getErr().println("cpis-engine council-receiver: --store " + store + " is a file, not a folder");
            return 1;
        }
        String token = null;
        if (tokenFile != null) {
            if (!Files.isReadable(tokenFile)) {
                spec.commandLine().getErr().println("cpis-engine council-receiver: --bearer-token-file " + tokenFile + " cannot be read");
                return 1;
            }
            token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
        }
        NotificationValidator validator = NotificationValidator.shared();
        ReceivedMessages messages = new ReceivedMessages(validator.fhirContext(), store);
        HttpServer http = new HttpServer(host, port, 32);
        String shownHost = "0.0.0.0".equals(host) ? "localhost" : host;
        http.mount(PATH + "/*", new CouncilReceiverServlet(validator, messages, token, "http://" + shownHost + ":" + port + PATH));
        try {
            http.start();
        } catch (Exception e) {
            spec.commandLine().getErr().println("cpis-engine council-receiver: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            http.close();
            return 1;
        }
        Thread hook = new Thread(stop::countDown, "council-receiver-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().println("council receiver ready: http://" + shownHost + ":" + http.port() + PATH
                + (store != null ? " (store: " + store.toAbsolutePath() + ")" : "") + (token != null ? " (bearer token required)" : ""));
        spec.commandLine().getOut().flush();
        boolean interrupted = false;
        try {
            stop.await();
        } catch (InterruptedException e) {
            interrupted = true; // a stop request, like Ctrl-C
        }
        // Stop the server before restoring the interrupt flag: Jetty's stop would fail on it.
        http.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // JVM is shutting down already
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
