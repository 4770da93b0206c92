package io.sluice.connect;

/** The plugin's version, as Connect lists it (GET /connector-plugins): the jar's Implementation-Version. */
final class Version {
    private Version() {}

    static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "unknown";
    }
}
