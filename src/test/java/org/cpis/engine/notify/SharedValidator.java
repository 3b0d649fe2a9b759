package org.cpis.engine.notify;

/** The tests' validator: the JVM-wide warmed-up one (building one loads the FHIR core definitions). */
public final class SharedValidator {
    private SharedValidator() {
    }

    public static NotificationValidator get() {
        return NotificationValidator.shared();
    }
}
