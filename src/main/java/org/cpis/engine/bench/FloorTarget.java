package org.cpis.engine.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.hl7.HL7MLLPNettyDecoderFactory;
import org.apache.camel.component.hl7.HL7MLLPNettyEncoderFactory;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The raw MLLP floor: a Camel route on camel-netty ({@code sync=true}, camel-hl7's MLLP codecs, as
 * the engine's intake) that parses with HAPI and ACKs. It runs inside the bench's JVM. What it
 * reaches is the physical limit of this stack on this machine.
 */
public final class FloorTarget implements BenchTarget {

    static final String ROUTE_ID = "bench-floor";

    private DefaultCamelContext camel;
    private int port;

    @Override
    public String name() {
        return "floor";
    }

    @Override
    public void start(BenchContext context) throws Exception {
        port = freePort();
        HL7MLLPNettyDecoderFactory decoder = new HL7MLLPNettyDecoderFactory();
        // The v2.3 shape arrives with LF separators; HAPI wants CR.
        decoder.setConvertLFtoCR(true);
        HL7MLLPNettyEncoderFactory encoder = new HL7MLLPNettyEncoderFactory();
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("benchFloorDecoder", decoder);
        camel.getRegistry().bind("benchFloorEncoder", encoder);
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
