package org.cpis.engine.notify;

import java.util.ArrayList;
import java.util.List;
import org.cpis.engine.delivery.ChannelType;
import org.cpis.engine.delivery.EmailRecipient;
import org.cpis.engine.delivery.FhirEndpoint;

/**
 * One entry of the council directory.
 *
 * @param odsCode the council's ODS code ({@code fallback} for the fallback entry)
 * @param name the council's name
 * @param fhir FHIR messaging channel, or null
 * @param email secure email channel, or null
 */
public record Council(String odsCode, String name, FhirEndpoint fhir, EmailRecipient email) {

    /** The channels this council is reached by, FHIR first. */
    public List<ChannelType> channels() {
        List<ChannelType> c = new ArrayList<>(2);
        if (fhir != null) {
            c.add(ChannelType.FHIR);
        }
        if (email != null) {
            c.add(ChannelType.EMAIL);
        }
        return List.copyOf(c);
    }

    /** The endpoint to name in MessageHeader.destination: the FHIR base, else {@code mailto:}. */
    public String destinationEndpoint() {
        if (fhir != null) {
            return fhir.base().toString();
        }
        return email != null ? "mailto:" + email.address() : null;
    }
}
