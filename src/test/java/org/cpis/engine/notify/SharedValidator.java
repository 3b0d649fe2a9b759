package org.cpis.engine.notify;

/** One validator per test JVM: building it loads the FHIR core definitions (seconds). */
public final class SharedValidator {
    private static volatile NotificationValidator instance;

    private SharedValidator() {
    }

    public static NotificationValidator get() {
        NotificationValidator v = instance;
        if (v == null) {
            synchronized (SharedValidator.class) {
                if (instance == null) {
                    NotificationValidator nv = new NotificationValidator();
                    nv.warmUp();
                    instance = nv;
                }
                v = instance;
            }
        }
        return v;
    }
}
