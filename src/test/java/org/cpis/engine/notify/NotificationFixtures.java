package org.cpis.engine.notify;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.cpis.engine.attendance.Attendance;
import org.cpis.engine.attendance.CareSetting;
import org.cpis.engine.attendance.EventKind;
import org.cpis.engine.attendance.NhsNumberStatus;
import org.cpis.engine.attendance.PatientIdentifier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Flag;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

/** Sample attendances, flags and councils with the project's agreed test identities. */
public final class NotificationFixtures {
    public static final String SNOMED = "http://snomed.info/sct";
    public static final String CPP = "342191000000101";
    public static final String LAC = "764841000000100";
    public static final String UNBORN = "818901000000100";
    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:15:30Z"), ZoneOffset.UTC);

    private NotificationFixtures() {
    }

    public static NotificationMessageBuilder builder() {
        return new NotificationMessageBuilder("https://cpis.example.nhs.uk/fhir", "RX1", "Test NHS Trust", "0.1.0", CLOCK);
    }

    public static Attendance attendance(String trigger, EventKind kind, String nhs, String family, String given,
            LocalDate born, String sex) {
        return new Attendance("MSG" + trigger + nhs, "EDSYS", "RX1CC", trigger, kind, nhs, NhsNumberStatus.VALID, "01",
                List.of(new PatientIdentifier("12067204", "R0A", "MR")), family, given, born, sex,
                new CareSetting("RX1CC", "RX1", "Test General Hospital ED"), "emergency", "V000123",
                OffsetDateTime.parse("2026-11-25T10:14:00Z"), null, null, "standard");
    }

    public static Attendance arrival() {
        return attendance("A04", EventKind.ARRIVAL, "9434765919", "SMITH", "Jamie Lee", LocalDate.of(2019, 3, 14), "M");
    }

    public static Attendance admission() {
        Attendance a = arrival();
        return new Attendance(a.messageControlId(), a.sendingApplication(), a.sendingFacility(), "A01",
                EventKind.ADMISSION, a.nhsNumber(), a.nhsNumberStatus(), a.verificationStatus(), a.localIdentifiers(),
                a.familyName(), a.givenName(), a.birthDate(), a.sex(), a.careSetting(), "inpatient", a.visitNumber(),
                a.attendanceTime(), null, null, a.dialect());
    }

    public static Attendance cancel() {
        return attendance("A11", EventKind.CANCEL, "9434765919", "SMITH", "Jamie Lee", LocalDate.of(2019, 3, 14), "M");
    }

    public static Attendance pregnantWoman() {
        return attendance("A01", EventKind.ADMISSION, "9449305552", "JONES", "Alex", LocalDate.of(1998, 6, 2), "F");
    }

    public static Attendance lookedAfterChild() {
        return attendance("A04", EventKind.ARRIVAL, "9990000018", "BROWN", "Sam", LocalDate.of(2012, 9, 30), "U");
    }

    public static Organization council(String ods, String name) {
        Organization o = new Organization();
        o.setId("Organization/" + ods);
        o.addIdentifier().setSystem(NotificationCodes.ODS_SYSTEM).setValue(ods);
        o.setName(name);
        o.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("01632 960001")
                .setUse(ContactPoint.ContactPointUse.WORK);
        o.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("01632 960999")
                .setUse(ContactPoint.ContactPointUse.MOBILE);
        return o;
    }

    public static Organization tstc1() {
        return council("TSTC1", "Testshire County Council");
    }

    public static Organization tstc2() {
        return council("TSTC2", "Exampleton City Council");
    }

    public static Flag flag(String id, String snomed, String display, String nhs, String councilOds, String start) {
        Flag f = new Flag();
        f.setId("Flag/" + id);
        f.setStatus(Flag.FlagStatus.ACTIVE);
        f.addCategory(new CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                "http://terminology.hl7.org/CodeSystem/flag-category", "safety", "Safety")));
        f.setCode(new CodeableConcept(new org.hl7.fhir.r4.model.Coding(SNOMED, snomed, display)));
        f.setSubject(new Reference("Patient/p-" + nhs).setIdentifier(
                new org.hl7.fhir.r4.model.Identifier().setSystem(NotificationCodes.NHS_NUMBER_SYSTEM).setValue(nhs)));
        Period p = new Period();
        p.setStartElement(new org.hl7.fhir.r4.model.DateTimeType(start));
        f.setPeriod(p);
        f.setAuthor(new Reference("Organization/" + councilOds));
        return f;
    }

    public static Flag cppFlag() {
        return flag("cpp-1", CPP, "Child Protection Plan", "9434765919", "TSTC1", "2026-01-10");
    }

    public static Flag unbornFlag() {
        Flag f = flag("unborn-1", UNBORN, "Unborn child subject to Child Protection Plan", "9449305552", "TSTC2", "2026-08-01");
        // The flag store's own extension for the expected due date: an extension the validator does not know.
        f.addExtension("https://cpis-engine.org/fhir/StructureDefinition/expected-due-date",
                new org.hl7.fhir.r4.model.DateType("2027-01-20"));
        return f;
    }

    public static Flag lacFlag() {
        return flag("lac-1", LAC, "Looked after child", "9990000018", "TSTC2", "2024-02-01");
    }

    /** The five messages the builder must get right. */
    public static List<Bundle> allMessages() {
        NotificationMessageBuilder b = builder();
        String ep1 = "http://localhost:8080/council-receiver/fhir";
        return List.of(
                b.build("n-arrival-1", NotificationEvent.ATTENDANCE_NOTIFICATION, arrival(), cppFlag(), tstc1(), ep1),
                b.build("n-admission-1", NotificationEvent.ATTENDANCE_NOTIFICATION, admission(), cppFlag(), tstc1(), ep1),
                b.build("n-arrival-1-cancel", NotificationEvent.ATTENDANCE_CANCELLATION, cancel(), cppFlag(), tstc1(), ep1),
                b.build("n-unborn-1", NotificationEvent.ATTENDANCE_NOTIFICATION, pregnantWoman(), unbornFlag(), tstc2(), ep1),
                b.build("n-lac-1", NotificationEvent.ATTENDANCE_NOTIFICATION, lookedAfterChild(), lacFlag(), tstc2(), null));
    }
}
