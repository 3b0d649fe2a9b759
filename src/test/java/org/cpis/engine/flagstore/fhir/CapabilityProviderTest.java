package org.cpis.engine.flagstore.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.RestfulServer;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CapabilityProviderTest {

    /** The server hands itself to its conformance provider by reflection and warned, with a stack trace, when it could not. */
    @Test
    void serverTakesTheProviderWithoutAWarning() {
        Logger serverLog = (Logger) LoggerFactory.getLogger(RestfulServer.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        serverLog.addAppender(events);
        try {
            new RestfulServer(FhirContext.forR4Cached()).setServerConformanceProvider(new CapabilityProvider());
        } finally {
            serverLog.detachAppender(events);
        }
        assertThat(events.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }
}
