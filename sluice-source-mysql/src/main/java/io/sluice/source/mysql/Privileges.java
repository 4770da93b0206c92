package io.sluice.source.mysql;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The privileges a job needs (REPLICATION SLAVE for the binlog dump, REPLICATION CLIENT for the
 * binlog position, SELECT for the catalogue and initialization), read from SHOW GRANTS so that
 * every missing one is named at once instead of one failure at a time.
 *
 * @param missing  the needed privileges SHOW GRANTS does not show
 * @param viaRoles whether the account has roles, whose privileges SHOW GRANTS does not expand:
 *                 then {@code missing} may be granted after all
 * @param account  the account as the server authenticated it, quoted for a GRANT ('user'@'host')
 * @param selectOnAll whether SELECT is granted ON *.*: else the catalogue (information_schema) shows the
 *                 account only the tables it may read, and the others look missing
 */
public record Privileges(List<String> missing, boolean viaRoles, String account, boolean selectOnAll) {

    public static final List<String> NEEDED = List.of("REPLICATION SLAVE", "REPLICATION CLIENT", "SELECT");

    public static Privileges of(Connection c) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS FOR CURRENT_USER()")) {
            while (rs.next()) lines.add(rs.getString(1).toUpperCase(Locale.ROOT));
        }
        String account = "'?'@'%'";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
            if (rs.next()) {
                String u = rs.getString(1);
                int at = u.lastIndexOf('@');
                account = at < 0 ? "'" + u + "'" : "'" + u.substring(0, at) + "'@'" + u.substring(at + 1) + "'";
            }
        }
        String g = String.join("\n", lines);
        boolean all = g.contains("GRANT ALL PRIVILEGES ON *.*");
        // a role grant has no ON clause: GRANT `r`@`%` TO ... (MySQL 8), GRANT `r` TO ... (MariaDB)
        boolean roles = lines.stream().anyMatch(l -> l.startsWith("GRANT ") && !l.contains(" ON "));
        List<String> missing = new ArrayList<>();
        for (String p : NEEDED) {
            // MariaDB 10.5+ shows REPLICATION CLIENT as its new name, BINLOG MONITOR
            boolean has = g.contains(p) || (p.equals("REPLICATION CLIENT") && g.contains("BINLOG MONITOR"));
            if (!all && !has) missing.add(p);
        }
        boolean selectOnAll = all || lines.stream().anyMatch(l -> l.startsWith("GRANT ") && l.contains(" ON *.* ")
                && (l.contains("SELECT") || l.contains("ALL PRIVILEGES")));
        return new Privileges(List.copyOf(missing), roles, account, selectOnAll);
    }

    /** The account when tables it may not read are hidden from it (SELECT not ON *.*, as SHOW GRANTS shows), else null. */
    public String limitedAccount() {
        return selectOnAll ? null : account;
    }

    /** The statement that grants what is missing. */
    public String grant() {
        return "GRANT " + String.join(", ", missing) + " ON *.* TO " + account;
    }
}
