import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer.EventDataWrapper;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

/**
 * Records the binlog of the benchmark's mixed workload from a real MySQL server, for BinlogBench:
 * CREATE TABLE of the 16-column table (bench/harness Workloads.java), one INSERT of the initial
 * rows, then transactions of 10 single-row statements (5 INSERT, 3 UPDATE of 5 columns, 2 DELETE),
 * as the server sends them to a replica (fake ROTATE, FORMAT_DESCRIPTION, CRC32 checksums, GTID,
 * BEGIN, TABLE_MAP + rows per statement, XID). Writes the events, each as sent, after a binlog
 * file's 4-byte magic, gzipped. Usage: BinlogRecord <port> <transactions> <out.binlog.gz>
 */
public final class BinlogRecord {

    static final String DB = "sluice_binlogbench_rec";
    static final String DDL = """
            CREATE TABLE %s (
              id BIGINT NOT NULL PRIMARY KEY,
              t_us BIGINT NOT NULL,
              qty INT NOT NULL,
              small SMALLINT,
              flag TINYINT UNSIGNED,
              price DECIMAL(12,2),
              score DOUBLE,
              name VARCHAR(64),
              code CHAR(8),
              note TEXT,
              created DATETIME(3),
              updated TIMESTAMP(6) NULL,
              day DATE,
              status ENUM('new','paid','shipped','done'),
              tag VARBINARY(16),
              attrs JSON
            ) ENGINE=InnoDB""";
    static final String COLS = "(id,t_us,qty,small,flag,price,score,name,code,note,created,updated,day,status,tag,attrs)";
    static final String[] STATUS = {"new", "paid", "shipped", "done"};
    static final char[] ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();
    static final SplittableRandom rnd = new SplittableRandom(42);

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int txns = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        String url = "jdbc:mysql://127.0.0.1:" + port + "/?useSSL=false&allowPublicKeyRetrieval=true"
                + "&allowMultiQueries=true&characterEncoding=utf8&connectionTimeZone=UTC";
        String file;
        long position;
        int initial = 300;
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB);
            s.execute("CREATE DATABASE " + DB + " CHARACTER SET utf8mb4");
            try (ResultSet rs = s.executeQuery("SHOW MASTER STATUS")) {
                rs.next();
                file = rs.getString(1);
                position = rs.getLong(2);
            }
            String t = DB + ".t_mixed";
            s.execute(String.format(DDL, t));
            long[] live = new long[initial + txns * 5];
            int count = 0;
            long next = 1;
            StringBuilder sb = new StringBuilder("INSERT INTO " + t + " " + COLS + " VALUES ");
            for (int i = 0; i < initial; i++) {
                if (i > 0) sb.append(',');
                row(sb, next);
                live[count++] = next++;
            }
            s.execute(sb.toString());
            sb.setLength(0);
            for (int x = 0; x < txns; x++) { // as Workloads.mixed
                sb.append("BEGIN;");
                for (int k = 0; k < 5; k++) {
                    sb.append("INSERT INTO ").append(t).append(' ').append(COLS).append(" VALUES ");
                    row(sb, next).append(';');
                    live[count++] = next++;
                }
                for (int k = 0; k < 3; k++) {
                    long id = live[rnd.nextInt(count)];
                    sb.append("UPDATE ").append(t).append(" SET t_us=").append(micros())
                            .append(",qty=").append(rnd.nextInt(1_000_000))
                            .append(",price=").append(rnd.nextInt(10_000_000) / 100.0)
                            .append(",status='").append(STATUS[rnd.nextInt(4)]).append('\'')
                            .append(",updated='").append(dateTime(rnd.nextInt(100_000_000), true)).append('\'')
                            .append(" WHERE id=").append(id).append(';');
                }
                for (int k = 0; k < 2; k++) {
                    int i = rnd.nextInt(count);
                    long id = live[i];
                    live[i] = live[--count];
                    sb.append("DELETE FROM ").append(t).append(" WHERE id=").append(id).append(';');
                }
                sb.append("COMMIT;");
                if ((x + 1) % 10 == 0 || x == txns - 1) { s.execute(sb.toString()); sb.setLength(0); }
            }
        }
        ByteArrayOutputStream events = new ByteArrayOutputStream();
        events.write(new byte[] {(byte) 0xfe, 'b', 'i', 'n'});
        CountDownLatch done = new CountDownLatch(1);
        int[] xids = {0};
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", port, "root", "");
        client.setServerId(4_000_000_000L + new SplittableRandom().nextInt(100_000_000));
        client.setBinlogFilename(file);
        client.setBinlogPosition(position);
        client.setKeepAlive(false);
        // The server is shared: other clients' transactions are left out (a transaction is kept
        // when it maps a table of DB or its statement runs in DB).
        ByteArrayOutputStream group = new ByteArrayOutputStream();
        boolean[] relevant = {false};
        client.setEventDeserializer(new EventDeserializer() {
            @Override
            public Event nextEvent(ByteArrayInputStream in) throws IOException {
                if (in.peek() == -1) return null;
                byte[] header = in.read(19);
                int length = (header[9] & 0xFF) | (header[10] & 0xFF) << 8 | (header[11] & 0xFF) << 16 | (header[12] & 0xFF) << 24;
                byte[] event = new byte[length];
                System.arraycopy(header, 0, event, 0, 19);
                in.fill(event, 19, length - 19);
                Event e = super.nextEvent(new ByteArrayInputStream(event));
                Object data = e.getData() instanceof EventDataWrapper w ? w.getExternal() : e.getData();
                EventType type = e.getHeader().getEventType();
                if (done.getCount() == 0) return e;
                switch (type) {
                    case ROTATE, FORMAT_DESCRIPTION -> events.write(event, 0, length);
                    case GTID, ANONYMOUS_GTID -> { group.reset(); relevant[0] = false; group.write(event, 0, length); }
                    default -> {
                        group.write(event, 0, length);
                        if (data instanceof TableMapEventData t && t.getDatabase().equals(DB)) relevant[0] = true;
                        if (data instanceof QueryEventData q && (DB.equals(q.getDatabase()) || q.getSql().contains(DB))) relevant[0] = true;
                        boolean ends = type == EventType.XID
                                || (data instanceof QueryEventData q && !q.getSql().equals("BEGIN"));
                        if (ends) {
                            if (relevant[0]) {
                                group.writeTo(events);
                                if (type == EventType.XID && ++xids[0] == txns + 1) done.countDown();
                            }
                            group.reset();
                            relevant[0] = false;
                        }
                    }
                }
                return e;
            }
        });
        client.connect(10_000);
        if (!done.await(60, TimeUnit.SECONDS)) throw new IllegalStateException("saw only " + xids[0] + " XIDs");
        client.disconnect();
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(out))) {
            events.writeTo(o);
        }
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DB);
        }
        System.out.printf("%d bytes of binlog events (%d transactions after the setup) from %s:%d -> %s%n",
                events.size(), txns, file, position, out);
    }

    static StringBuilder row(StringBuilder sb, long id) { // as Workloads.row
        sb.append('(').append(id).append(',').append(micros()).append(',')
                .append(rnd.nextInt(1_000_000)).append(',')
                .append(rnd.nextInt(60_000) - 30_000).append(',')
                .append(rnd.nextInt(256)).append(',')
                .append(rnd.nextInt(100_000_000) / 100.0).append(',')
                .append(rnd.nextDouble() * 1e6).append(",'customer-").append(id).append('-');
        alnum(sb, 8 + rnd.nextInt(24));
        sb.append("','");
        alnum(sb, 8);
        sb.append("','");
        int words = 4 + rnd.nextInt(12);
        for (int w = 0; w < words; w++) {
            if (w > 0) sb.append(' ');
            alnum(sb, 3 + rnd.nextInt(7));
        }
        sb.append("','").append(dateTime(rnd.nextInt(300_000_000), false))
                .append("','").append(dateTime(rnd.nextInt(300_000_000), true))
                .append("','").append(LocalDate.of(2000, 1, 1).plusDays(rnd.nextInt(10_000)))
                .append("','").append(STATUS[rnd.nextInt(4)]).append("',X'");
        for (int i = 0; i < 16; i++) {
            int b = rnd.nextInt(256);
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
        }
        sb.append("','{\"k\": ").append(id).append(", \"v\": \"");
        alnum(sb, 6);
        sb.append("\", \"n\": [1, 2, 3]}')");
        return sb;
    }

    static void alnum(StringBuilder sb, int n) {
        for (int i = 0; i < n; i++) sb.append(ALNUM[rnd.nextInt(ALNUM.length)]);
    }

    static long micros() {
        return System.currentTimeMillis() * 1000;
    }

    static String dateTime(int seconds, boolean micros) {
        LocalDateTime t = LocalDateTime.of(2015, 1, 1, 0, 0).plusSeconds(seconds);
        String base = t.toLocalDate() + " " + t.toLocalTime().toString();
        if (base.length() == 16) base += ":00";
        return micros ? base + "." + String.format("%06d", rnd.nextInt(1_000_000))
                : base + "." + String.format("%03d", rnd.nextInt(1000));
    }
}
