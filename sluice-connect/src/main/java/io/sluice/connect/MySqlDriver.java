package io.sluice.connect;

/**
 * Registers the plugin's MySQL JDBC driver with {@link java.sql.DriverManager}. DriverManager finds
 * drivers once per JVM through the class loader of whoever uses it first, which in a worker is
 * rarely this plugin's isolated class loader: without this, the engine's connections would find
 * "no suitable driver". Loading the class runs its static registration.
 */
final class MySqlDriver {
    private MySqlDriver() {}

    static void register() {
        try {
            Class.forName("com.mysql.cj.jdbc.Driver", true, MySqlDriver.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the plugin folder lacks mysql-connector-j: install the whole sluice-connect-plugin folder", e);
        }
    }
}
