package org.cpis.engine.flagstore;

import java.time.LocalDate;
import java.util.List;
import org.cpis.engine.flagstore.auth.Caller;
import org.cpis.engine.flagstore.store.FlagStore;
import org.cpis.engine.flagstore.store.OtherResources;
import org.cpis.engine.flagstore.store.SearchParams;
import org.cpis.engine.flagstore.store.Session;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;

/**
 * Demo data (the project's agreed sample identities): councils TSTC1, TSTC2 and TSTC9 and one flag per
 * sample child, with dates relative to today so the visibility cases stay true. Idempotent: a council
 * or flag already there is left alone, so restarting the demo changes nothing.
 */
public final class FlagStoreSeeder {

    /** A council as the demo knows it. */
    public record Council(String ods, String name, String officeHoursPhone, String emergencyDutyTeamPhone) {
    }

    /** Ofcom drama-range numbers (01632 960xxx): never a real line. */
    public static final List<Council> DEMO_COUNCILS = List.of(
            new Council("TSTC1", "Testshire County Council", "01632 960001", "01632 960002"),
            new Council("TSTC2", "Exampleton City Council", "01632 960101", "01632 960102"),
            new Council("TSTC9", "Nowhere Borough Council", "01632 960901", "01632 960902"));

    private FlagStoreSeeder() {
    }

    /** Loads the demo councils and flags; returns how many resources were new. */
    public static int seedDemo(FlagStoreServer server) {
        return seedDemo(server.store());
    }

    public static int seedDemo(FlagStore store) {
        OtherResources other = new OtherResources(store);
        int created = 0;
        try (Session s = store.open(Caller.ADMIN, "seeder")) {
            LocalDate today = s.today();
            for (Council c : DEMO_COUNCILS) {
                var q = other.organizationQuery(s, SearchParams.parse(java.util.Map.of(
                        "identifier", new String[] {FhirIds.ODS_CODE + "|" + c.ods()})));
                List<Organization> found = other.page(s, Organization.class, q, 0, 1);
                if (found.isEmpty() || !found.get(0).hasName()) {
                    other.writeOrganization(s, null, council(c), "Organization?identifier=" + FhirIds.ODS_CODE + "|" + c.ods());
                    created++;
                }
            }
            created += flag(store, s, "TSTC1", "TSTC1-CPP-0001", "9434765919", FhirIds.CODE_CPP, today.minusDays(200), null, null);
            created += flag(store, s, "TSTC2", "TSTC2-UNB-0001", "9449305552", FhirIds.CODE_UNBORN, today.minusDays(30), null,
                    today.plusDays(60));
            created += flag(store, s, "TSTC2", "TSTC2-LAC-0001", "9990000018", FhirIds.CODE_LAC, today.minusDays(400), null, null);
            created += flag(store, s, "TSTC1", "TSTC1-CPP-0002", "9990000026", FhirIds.CODE_CPP, today.minusDays(500),
                    today.minusDays(100), null);
            created += flag(store, s, "TSTC1", "TSTC1-CPP-0003", "9990000034", FhirIds.CODE_CPP, today.minusDays(800),
                    today.minusDays(400), null);
            created += flag(store, s, "TSTC9", "TSTC9-CPP-0001", "9990000042", FhirIds.CODE_CPP, today.minusDays(50), null, null);
            s.commit();
        }
        return created;
    }

    /** A council Organization with its ODS code and both phone numbers as ContactPoints. */
    public static Organization council(Council c) {
        Organization o = new Organization();
        o.addIdentifier().setSystem(FhirIds.ODS_CODE).setValue(c.ods());
        o.setActive(true);
        o.setName(c.name());
        o.addType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/organization-type").setCode("govt")
                .setDisplay("Government");
        o.addTelecom(phone(c.officeHoursPhone(), FhirIds.PURPOSE_OFFICE_HOURS, 1));
        o.addTelecom(phone(c.emergencyDutyTeamPhone(), FhirIds.PURPOSE_EMERGENCY_DUTY_TEAM, 2));
        return o;
    }

    private static ContactPoint phone(String number, String purpose, int rank) {
        ContactPoint cp = new ContactPoint().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(number)
                .setUse(ContactPoint.ContactPointUse.WORK).setRank(rank);
        cp.addExtension(FhirIds.EXT_CONTACT_PURPOSE, new org.hl7.fhir.r4.model.CodeType(purpose));
        return cp;
    }

    /** A flag in the store's shape (DESIGN.md §3), subject and author given by identifier only. */
    public static Flag flag(String ods, String localId, String nhs, String code, LocalDate start, LocalDate end, LocalDate due) {
        Flag f = new Flag();
        f.addIdentifier().setSystem(FhirIds.councilFlagIdSystem(ods)).setValue(localId);
        boolean ended = end != null;
        f.setStatus(ended ? Flag.FlagStatus.INACTIVE : Flag.FlagStatus.ACTIVE);
        f.getCode().addCoding().setSystem(FhirIds.SNOMED).setCode(code).setDisplay(FhirIds.FLAG_CODES.get(code));
        f.getCode().setTextElement(new StringType(FhirIds.FLAG_CODES.get(code)));
        f.setSubject(new Reference().setIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem(FhirIds.NHS_NUMBER).setValue(nhs)));
        f.setAuthor(new Reference().setIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem(FhirIds.ODS_CODE).setValue(ods)));
        if (start != null) {
            f.getPeriod().setStartElement(new DateTimeType(start.toString()));
        }
        if (end != null) {
            f.getPeriod().setEndElement(new DateTimeType(end.toString()));
        }
        if (due != null) {
            f.addExtension(FhirIds.EXT_DUE_DATE, new DateType(due.toString()));
        }
        return f;
    }

    private static int flag(FlagStore store, Session s, String ods, String localId, String nhs, String code, LocalDate start,
                            LocalDate end, LocalDate due) {
        Flag f = flag(ods, localId, nhs, code, start, end, due);
        String cond = "Flag?identifier=" + FhirIds.councilFlagIdSystem(ods) + "|" + localId;
        return store.create(s, f, cond).created() ? 1 : 0;
    }
}
