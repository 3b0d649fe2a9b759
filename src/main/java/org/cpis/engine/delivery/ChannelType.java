package org.cpis.engine.delivery;

import java.util.Locale;

/** A way of delivering a notification to a council; one delivery record per notification and channel. */
public enum ChannelType {
    FHIR, EMAIL;

    /** Lower-case name used in the database and in councils.yaml. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChannelType fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
