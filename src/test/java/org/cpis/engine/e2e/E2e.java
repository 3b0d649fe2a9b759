package org.cpis.engine.e2e;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicInteger;
import org.cpis.engine.flagstore.FhirIds;
import org.cpis.engine.flagstore.FlagStoreSeeder;
import org.cpis.engine.nhs.NhsNumber;
import org.cpis.engine.notify.NotificationValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Patient;

/** What the end-to-end tests share: ADT messages, test NHS numbers, flags made through the FHIR API. */
final class E2e {
    static final String ADMIN_TOKEN = "e2e-admin-token";
    private static final AtomicInteger NEXT = new AtomicInteger(100);

    private E2e() {
    }

    /** A fresh valid NHS number in the 999 test range (Modulus 11 check digit). */
    static String newNhsNumber() {
        while (true) {
            String base = String.format("999%06d", NEXT.incrementAndGet());
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += (base.charAt(i) - '0') * (10 - i);
            }
            int check = 11 - sum % 11;
            if (check == 11) {
                check = 0;
            }
            if (check != 10 && NhsNumber.isValid(base + check)) {
                return base + check;
            }
        }
    }

    /**
     * An NHS ITK v2.4 ADT (default dialect) from EDIS/RX1 at site RX1CC.
     *
     * @param verification PID-32 (NSTS01 = verified)
     */
    static String adt(String event, String controlId, String nhs, String visit, String verification) {
        String structure = switch (event) {
            case "A11" -> "ADT_A09";
            default -> "ADT_A01";
        };
        return "MSH|^~\\&|EDIS|RX1|CPIS|CPIS|202403100915||ADT^" + event + "^" + structure + "|" + controlId + "|P|2.4\r"
                + "EVN|" + event + "|202403100915\r"
                + "PID|1||RX1" + visit + "^^^RX1^MR~" + nhs + "^^^NHS^NH||TESTCHILD^AMELIA||20150612|F|||1 Test Street^^Testtown^^TE1 1ST"
                + "|||||||||||||||||||||" + verification + "\r"
                + "PV1|1|E|ED^MAJORS^BAY3^RX1CC^^^^^Test General Hospital ED^^RX1||||||||||||||||" + visit
                + "|||||||||||||||||||||||||202403100915\r";
    }

    /** A maternity-system A01 (maternity dialect): a pregnant woman admitted. */
    static String maternityA01(String controlId, String nhs, String visit) {
        return "MSH|^~\\&|MATSYS|RX1|CPIS|CPIS|202409200930||ADT^A01^ADT_A01|" + controlId + "|P|2.4\r"
                + "EVN|A01|202409200930\r"
                + "PID|1||M" + visit + "^^^MAT^MR~" + nhs + "^^^NHS||MOTHER^GRACE||19960214|F||||||||||||||||||||||||NSTS01\r"
                + "PV1|1|MAT|MAU^BED4^^RX1CC^^^^^Maternity Assessment Unit^^RX1||||||||||||||||" + visit
                + "|||||||||||||||||||||||||20/09/2024 09:25\r";
    }

    static IGenericClient adminClient(String fhirBase) {
        IGenericClient c = FhirContext.forR4Cached().newRestfulGenericClient(fhirBase);
        c.registerInterceptor(new BearerTokenAuthInterceptor(ADMIN_TOKEN));
        return c;
    }

    /** Creates a flag through the store's FHIR API (as a council's system would) and returns its id. */
    static String createFlag(IGenericClient client, String ods, String nhs, String code, LocalDate start, LocalDate end,
            LocalDate due) {
        Flag f = FlagStoreSeeder.flag(ods, ods + "-" + nhs, nhs, code, start, end, due);
        return client.create().resource(f).execute().getId().getIdPart();
    }

    static String cpp() {
        return FhirIds.CODE_CPP;
    }

    static String nhsNumberOf(Bundle b) {
        return b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance).map(Patient.class::cast)
                .flatMap(p -> p.getIdentifier().stream())
                .filter(i -> FhirIds.NHS_NUMBER.equals(i.getSystem()))
                .map(i -> i.getValue()).findFirst().orElse("");
    }

    static String eventOf(Bundle b) {
        return ((MessageHeader) b.getEntryFirstRep().getResource()).getEventCoding().getCode();
    }

    /** Validator errors of a Bundle (empty = valid against R4 core and the project's profiles). */
    static java.util.List<String> validationErrors(Bundle b) {
        return NotificationValidator.errors(NotificationValidator.shared().validate(b)).stream()
                .map(m -> m.getLocationString() + ": " + m.getMessage()).toList();
    }
}
