package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.network.protocol.command.Command;
import com.github.shyiko.mysql.binlog.network.protocol.command.QueryCommand;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The binlog client, registered with the server as replicas register (COM_REGISTER_SLAVE) before
 * it asks for the binlog, so that {@code SHOW SLAVE HOSTS} / {@code SHOW REPLICAS} lists the job with
 * its server_id and a host naming it: that is how {@link io.sluice.source.mysql.ServerIdUsers} finds another job using the
 * same server_id (the library alone does not register, and the server shows no server_id for a dump
 * connection otherwise).
 */
public final class RegisteringBinlogClient extends BinaryLogClient {

    /** COM_REGISTER_SLAVE. */
    private static final int REGISTER_REPLICA = 0x15;
    /** MySQL 5.7 keeps at most 60 characters of the reported host. */
    public static final int MAX_HOST = 60;

    private volatile String jobName = "sluice";

    RegisteringBinlogClient(String host, int port, String user, String password) {
        super(host, port, user, password);
    }

    /** The host this job reports when registering: {@code <hostname>/sluice:<job>}, cut to what the server keeps. */
    public static String reportHost(String jobName) {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = "unknown-host";
        }
        String host = name + "/sluice:" + jobName;
        return host.length() > MAX_HOST ? host.substring(0, MAX_HOST) : host;
    }

    void registerAs(String jobName) {
        this.jobName = jobName;
    }

    /**
     * Keeps the GTID set given to {@link #setGtidSet} as it was: the client would add every
     * transaction's GTID to it (parsing each from text), but only its connect reads it, the job
     * keeps its own executed set ({@link ExecutedGtids}), and the job, never the client, reconnects.
     */
    @Override
    protected void updateGtidSet(Event event) {
    }

    @Override
    protected void requestBinaryLogStream() throws IOException {
        // As replicas do (MySQL 5.7 sends a malformed SHOW SLAVE HOSTS row for a registered client without
        // one). MySQL drops an older binlog connection with the same uuid (or, without uuids, the same
        // server_id): one uuid per job name and server id drops a previous run of this job the server has
        // not noticed dead yet, while other clients with this server_id are refused at start (ServerIdUsers).
        UUID uuid = UUID.nameUUIDFromBytes(("sluice:" + jobName + ":" + getServerId()).getBytes(StandardCharsets.UTF_8));
        channel.write(new QueryCommand("SET @slave_uuid = '" + uuid + "'"));
        checkError(channel.read());
        channel.write(new RegisterReplica(getServerId(), reportHost(jobName)));
        checkError(channel.read()); // an OK packet, or the server's error as a ServerException
        super.requestBinaryLogStream();
    }

    private record RegisterReplica(long serverId, String host) implements Command {
        @Override
        public byte[] toByteArray() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(REGISTER_REPLICA);
            int4(out, serverId);
            string(out, host);
            string(out, ""); // user
            string(out, ""); // password
            out.write(0); // port (2 bytes)
            out.write(0);
            int4(out, 0); // replication rank
            int4(out, 0); // master id
            return out.toByteArray();
        }

        private static void int4(ByteArrayOutputStream out, long v) {
            for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
        }

        private static void string(ByteArrayOutputStream out, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(b.length);
            out.write(b, 0, b.length);
        }
    }
}
