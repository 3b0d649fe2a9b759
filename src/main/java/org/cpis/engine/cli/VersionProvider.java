package org.cpis.engine.cli;

import picocli.CommandLine;

/** Prints the version recorded in the jar's manifest. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = CpisEngine.class.getPackage().getImplementationVersion();
        return new String[] {"cpis-engine " + (v != null ? v : "development build")};
    }
}
