package org.cpis.engine.attendance;

/**
 * The unscheduled-care setting the patient attended.
 *
 * @param siteOdsCode ODS code of the site (PV1-3.4, else MSH-4)
 * @param trustOdsCode ODS code of the trust (PV1-3.11), or null
 * @param name display name of the setting, or null
 */
public record CareSetting(String siteOdsCode, String trustOdsCode, String name) {
}
