package org.cpis.engine.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.Supplier;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.hl7.HL7MLLPNettyDecoderFactory;
import org.apache.camel.component.hl7.HL7MLLPNettyEncoderFactory;
import org.apache.camel.component.netty.ChannelHandlerFactory;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The raw MLLP floor: a Camel route on camel-netty ({@code sync=true}, camel-hl7's MLLP codecs, as
 * the engine's intake) that parses with HAPI and ACKs. It runs inside the bench's JVM. What it
 * reaches is the physical limit of this stack on this machine.
 */
public final class FloorTarget implements BenchTarget {

    static final String ROUTE_ID = "bench-floor";

    private final Supplier<ChannelHandlerFactory> decoders;
    private final Supplier<ChannelHandlerFactory> encoders;
    private DefaultCamelContext camel;
    private int port;

    /** The floor on camel-hl7's MLLP codecs (LF converted to CR for the v2.3 shape). */
    public FloorTarget() {
        this(() -> {
            HL7MLLPNettyDecoderFactory decoder = new HL7MLLPNettyDecoderFactory();
            // The v2.3 shape arrives with LF separators; HAPI wants CR.
            decoder.setConvertLFtoCR(true);
            return decoder;
        }, HL7MLLPNettyEncoderFactory::new);
    }

    /** The floor on other MLLP codecs, e.g. the intake's own, so floor and engine share a decoder. */
    public FloorTarget(Supplier<ChannelHandlerFactory> decoders, Supplier<ChannelHandlerFactory> encoders) {
        this.decoders = decoders;
        this.encoders = encoders;
    }

    @Override
    public String name() {
        return "floor";
    }

    @Override
    public void start(BenchContext context) throws Exception {
        port = freePort();
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("benchFloorDecoder", decoders.get());
        camel.getRegistry().bind("benchFloorEncoder", encoders.get());
        FloorAckProcessor ack = new FloorAckProcessor();
        int p = port;
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("netty:tcp://127.0.0.1:" + p + "?sync=true&decoders=#benchFloorDecoder&encoders=#benchFloorEncoder")
                        .routeId(ROUTE_ID)
                        .process(ack);
            }
        });
        camel.start();
    }

    @Override
    public int mllpPort() {
        return port;
    }

    @Override
    public boolean notifies() {
        return false;
    }

    @Override
    public void close() {
        if (camel != null) {
            camel.stop();
            camel = null;
        }
    }

    /** A loopback port free right now (there is a small window before the target binds it). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
