package io.sluice.source.mysql;

import io.sluice.source.mysql.binlog.RegisteringBinlogClient;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Who else streams the binlog with a given server_id. The server drops the older of two binlog
 * connections with one server_id, so a second job (or a replica) with this job's serverId would cut
 * it off again and again. Replicas, and Sluice jobs (see {@link RegisteringBinlogClient}), register
 * themselves: {@code SHOW SLAVE HOSTS} (or {@code SHOW REPLICAS}, MySQL 8.0.22+) lists them with
 * their server_id. A bare binlog client that does not register cannot be seen before connecting;
 * its connection then drops this job's with its own error (see {@code binlog.BinlogErrors}).
 */
public final class ServerIdUsers {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ServerIdUsers.class);

    private ServerIdUsers() {}

    /**
     * The privilege that lets {@code user} list the replicas (SHOW SLAVE HOSTS): REPLICATION SLAVE on
     * MySQL, REPLICATION MASTER ADMIN on MariaDB 10.5+. Naming MariaDB's on MySQL sent operators to a
     * GRANT MySQL rejects.
     */
    public static String listReplicasGrant(boolean mariaDb, String user) {
        return mariaDb ? "GRANT REPLICATION MASTER ADMIN ON *.* TO '" + user + "'@'%' (MariaDB 10.5+; REPLICATION SLAVE before)"
                : "GRANT REPLICATION SLAVE ON *.* TO '" + user + "'@'%'";
    }

    /**
     * A description of another client streaming with {@code serverId}, or null. An entry this job
     * itself registered (same host and job name: a previous run the server has not dropped yet) does
     * not count.
     *
     * @throws SQLException with {@link #accessDenied} true when the account may not list replicas
     *         (MariaDB 10.5+ wants REPLICATION MASTER ADMIN for SHOW SLAVE HOSTS)
     */
    public static String other(Connection c, long serverId, String jobName) throws SQLException {
        return other(c, serverId, jobName, false);
    }

    /**
     * {@link #other}; with {@code sameNameIsThisJob}, an entry of this job name from any host counts as
     * this job's own too: on Kafka Connect the job is a connector whose task moves between workers
     * (hosts), and an entry under its name is its running task (a validation of a changed config) or
     * its previous task, which the worker has stopped or fenced before starting this one; the server
     * drops that connection when this one registers (same replica uuid, see {@link RegisteringBinlogClient}).
     */
    public static String other(Connection c, long serverId, String jobName, boolean sameNameIsThisJob) throws SQLException {
        String own = RegisteringBinlogClient.reportHost(jobName);
        List<String> found = new ArrayList<>();
        for (String sql : new String[] {"SHOW REPLICAS", "SHOW SLAVE HOSTS"}) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    if (rs.getLong(1) != serverId) continue;
                    String host = rs.getString(2) == null ? "" : rs.getString(2);
                    if (host.equals(own)) continue;
                    if (sameNameIsThisJob && registeredAs(host, jobName)) {
                        log.info("server id {} is registered by job {} at {}: this job's previous or running task, taken over", serverId, jobName, host);
                        continue;
                    }
                    found.add(host.isEmpty() ? "a replica that reports no host" + dumpHosts(c) : "the replica at " + host);
                }
                break;
            } catch (SQLException e) {
                if (e.getErrorCode() == 1064) continue; // before MySQL 8.0.22, and on MariaDB, only SHOW SLAVE HOSTS exists
                if (accessDenied(e)) throw e;
                return null; // e.g. MySQL 5.7's malformed row for a registered client without a replica uuid
            }
        }
        return found.isEmpty() ? null : String.join(", ", found);
    }

    /**
     * {@link #other}, asked again for a few seconds while it finds someone: a binlog client that has
     * just disconnected (e.g. a job stopped a moment ago) stays registered until the server's dump
     * thread notices, at its next heartbeat write (Sluice asks for one every 2 s).
     */
    public static String otherStillConnected(Connection c, long serverId, String jobName) throws SQLException {
        return otherStillConnected(c, serverId, jobName, false);
    }

    /** {@link #otherStillConnected}, with {@link #other(Connection, long, String, boolean)}'s {@code sameNameIsThisJob}. */
    public static String otherStillConnected(Connection c, long serverId, String jobName, boolean sameNameIsThisJob) throws SQLException {
        String other = other(c, serverId, jobName, sameNameIsThisJob);
        for (int i = 0; other != null && i < DISCONNECT_GRACE_POLLS; i++) {
            try {
                Thread.sleep(DISCONNECT_GRACE_MS / DISCONNECT_GRACE_POLLS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return other;
            }
            other = other(c, serverId, jobName, sameNameIsThisJob);
        }
        return other;
    }

    private static final long DISCONNECT_GRACE_MS = 8_000;
    private static final int DISCONNECT_GRACE_POLLS = 8;

    /** Stops the job when its serverId is the source's own or another connected client's. */
    public static void requireUnused(Connection c, ServerInfo info, io.sluice.core.config.JobConfig.Source source, String jobName)
            throws SQLException {
        requireUnused(c, info, source, jobName, false);
    }

    /** {@link #requireUnused}, with {@link #other(Connection, long, String, boolean)}'s {@code sameNameIsThisJob}. */
    public static void requireUnused(Connection c, ServerInfo info, io.sluice.core.config.JobConfig.Source source, String jobName,
                                     boolean sameNameIsThisJob) throws SQLException {
        String where = source.host + ":" + source.port;
        if (String.valueOf(source.serverId).equals(info.variable("server_id"))) {
            throw new io.sluice.core.error.SluiceException("source.serverId " + source.serverId + " is the server_id of the source "
                    + where + " itself", "choose a source.serverId that no server or replica of this topology uses");
        }
        String other;
        try {
            other = otherStillConnected(c, source.serverId, jobName, sameNameIsThisJob);
        } catch (SQLException e) {
            if (!accessDenied(e)) throw e;
            log.warn("the source account may not list connected replicas ({}): another job or replica with server id {} would"
                    + " only show when it cuts this job off; {} to let Sluice check",
                    e.getMessage(), source.serverId, listReplicasGrant(info.mariaDb(), source.user));
            return;
        }
        if (other != null) {
            // the same job name on another host: a second copy of this job, which another server id would let run twice
            boolean sameJob = other.endsWith("/sluice:" + jobName) || other.contains("/sluice:" + jobName + ",");
            throw new io.sluice.core.error.SluiceException("source.serverId " + source.serverId + " is in use on MySQL at " + where + " by "
                    + other + ": two binlog connections with one server_id cut each other off",
                    sameJob ? "another copy of job " + jobName + " runs there: stop it (run one instance per job), do not change source.serverId"
                            : "give every job and every replica of the source its own server id: change source.serverId, or stop the other client");
        }
    }

    /** Whether a registered host names job {@code jobName} ({@code <hostname>/sluice:<job>}, maybe cut to what the server keeps). */
    static boolean registeredAs(String host, String jobName) {
        int at = host.indexOf(JOB_MARK);
        if (at < 0) return false;
        String job = host.substring(at + JOB_MARK.length());
        return job.equals(jobName) || (host.length() >= RegisteringBinlogClient.MAX_HOST && !job.isEmpty() && jobName.startsWith(job));
    }

    private static final String JOB_MARK = "/sluice:";

    public static boolean accessDenied(SQLException e) {
        return e.getErrorCode() == 1227 || e.getErrorCode() == 1142 || e.getErrorCode() == 1045
                || String.valueOf(e.getMessage()).contains("Access denied");
    }

    /** The client hosts of the binlog dump connections (the processlist does not tell their server_id). */
    private static String dumpHosts(Connection c) {
        List<String> hosts = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW PROCESSLIST")) {
            while (rs.next()) {
                String command = rs.getString("Command");
                if (command != null && command.startsWith("Binlog Dump")) hosts.add(rs.getString("Host"));
            }
        } catch (SQLException e) {
            return "";
        }
        return hosts.isEmpty() ? "" : " (binlog dump connections from " + String.join(", ", hosts) + ")";
    }
}
