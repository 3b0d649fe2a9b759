package org.cpis.engine.bench;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.cpis.engine.mapping.CachedModelClassFactory;

/**
 * The floor's whole job: parse with HAPI into the canonical v2.5.1 model (no validation) and answer
 * an original-mode AA ACK. No persistence, no processing.
 */
final class FloorAckProcessor implements Processor {

    private final ThreadLocal<PipeParser> parsers = ThreadLocal.withInitial(() -> {
        PipeParser p = new PipeParser(new CachedModelClassFactory("2.5.1"));
        p.setValidationContext(ValidationContextFactory.noValidation());
        return p;
    });

    @Override
    public void process(Exchange exchange) {
        String body = exchange.getMessage().getBody(String.class);
        exchange.getMessage().setBody(ack(body));
    }

    String ack(String body) {
        PipeParser parser = parsers.get();
        try {
            Message in = parser.parse(body);
            return parser.encode(in.generateACK());
        } catch (HL7Exception | IOException | RuntimeException e) {
            // The floor never sees bad input from the bench; answer AR without echoing the message.
            return "MSH|^~\\&|CPIS-FLOOR|CPIS|||" + "||ACK|" + System.nanoTime() + "|P|2.5.1\rMSA|AR|\r";
        }
    }
}
