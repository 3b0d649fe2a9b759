package org.cpis.engine.lookup;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.cpis.engine.attendance.Attendance;
import org.cpis.engine.attendance.CareSetting;
import org.cpis.engine.attendance.EventKind;
import org.cpis.engine.attendance.NhsNumberStatus;

/** Attendances as the mapping stage would produce them, for tests. */
public final class TestAttendances {
    private TestAttendances() {
    }

    public static Attendance of(String nhs, NhsNumberStatus status, String trigger, EventKind kind, String visit,
            String controlId) {
        return new Attendance(controlId, "EDSYS", "RX1", trigger, kind, nhs, status,
                status == NhsNumberStatus.VALID ? "01" : null, null, "TESTCHILD", "ALEX",
                java.time.LocalDate.of(2015, 3, 1), "U", new CareSetting("RX1CC", "RX1", "Test General Hospital ED"),
                "emergency", visit, OffsetDateTime.of(2026, 6, 15, 10, 30, 0, 0, ZoneOffset.UTC), null, null, "test");
    }

    public static Attendance arrival(String nhs, String visit, String controlId) {
        return of(nhs, NhsNumberStatus.VALID, "A04", EventKind.ARRIVAL, visit, controlId);
    }
}
