import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Route;
import io.sluice.format.dts.DtsAvroEncoder;
import io.sluice.source.mysql.value.JdbcValues;
import io.sluice.source.mysql.value.ValueConverter;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Per-row CPU and allocation of the four hot paths, on rows shaped like the benchmark's 16-column
 * tables (bench/harness Workloads.java): DTS Avro encoding of a change, binlog cell -> Value
 * (ValueConverter), the TABLE_MAP event before each rows event (LenientTableMapDeserializer),
 * SELECT text cell -> Value (JdbcValues). Single thread, plain loops; run by
 * bench/micro/run.sh. Figures are the thread's CPU ns per row and bytes allocated per row;
 * with {@code --columns} after the seconds, also per column (ns and bytes per cell).
 */
public final class EncoderBench {

    static final int ROWS = 4096;
    static final String[] STATUS = {"new", "paid", "shipped", "done"};
    static final char[] ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    static final List<Column> COLUMNS = List.of(
            col("id", ColumnType.BIGINT, false, 19, 0, null),
            col("t_us", ColumnType.BIGINT, false, 19, 0, null),
            col("qty", ColumnType.INT, false, 10, 0, null),
            col("small", ColumnType.SMALLINT, false, 5, 0, null),
            col("flag", ColumnType.TINYINT, true, 3, 0, null),
            col("price", ColumnType.DECIMAL, false, 12, 2, null),
            col("score", ColumnType.DOUBLE, false, -1, -1, null),
            col("name", ColumnType.VARCHAR, false, -1, -1, "utf8mb4"),
            col("code", ColumnType.CHAR, false, -1, -1, "utf8mb4"),
            col("note", ColumnType.TEXT, false, -1, -1, "utf8mb4"),
            col("created", ColumnType.DATETIME, false, -1, -1, null),
            col("updated", ColumnType.TIMESTAMP, false, -1, -1, null),
            col("day", ColumnType.DATE, false, -1, -1, null),
            new Column("status", ColumnType.ENUM, false, -1, -1, null, 0, List.of(STATUS), null),
            col("tag", ColumnType.VARBINARY, false, -1, -1, "binary"),
            col("attrs", ColumnType.JSON, false, -1, -1, null));
    static final TableSchema TABLE = new TableSchema(new TableId("sluice_bench", "t_mixed"), COLUMNS,
            Map.of("PRIMARY", List.of("id")));
    static final Route ROUTE = new Route("sluice-bench", "sluice_bench.t_mixed",
            COLUMNS.stream().map(Column::name).toList());

    static Column col(String name, ColumnType type, boolean unsigned, int precision, int scale, String charset) {
        return new Column(name, type, unsigned, precision, scale, charset, 0, List.of(), null);
    }

    /** One row's random parts, from which the binlog cells and the SELECT text are both derived. */
    record Row(long id, long tUs, int qty, int small, int flag, long priceCents, double score, String name,
               String code, String note, int[] created, int[] updated, long updatedEpoch, int[] day, int status,
               byte[] tag, String jsonKey) {}

    static Row randomRow(SplittableRandom rnd, long id) {
        int[] created = {2015 + rnd.nextInt(9), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28), rnd.nextInt(24),
                rnd.nextInt(60), rnd.nextInt(60), rnd.nextInt(1000) * 1000};
        int[] updated = {2015 + rnd.nextInt(9), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28), rnd.nextInt(24),
                rnd.nextInt(60), rnd.nextInt(60), rnd.nextInt(1_000_000)};
        long epoch = java.time.LocalDateTime.of(updated[0], updated[1], updated[2], updated[3], updated[4], updated[5])
                .toEpochSecond(java.time.ZoneOffset.UTC);
        int[] day = {2000 + rnd.nextInt(27), 1 + rnd.nextInt(12), 1 + rnd.nextInt(28)};
        byte[] tag = new byte[16];
        for (int i = 0; i < tag.length; i++) tag[i] = (byte) rnd.nextInt(256);
        StringBuilder note = new StringBuilder();
        int words = 4 + rnd.nextInt(12);
        for (int w = 0; w < words; w++) {
            if (w > 0) note.append(' ');
            note.append(alnum(rnd, 3 + rnd.nextInt(7)));
        }
        return new Row(id, 1_732_500_000_000_000L + rnd.nextInt(1_000_000_000), rnd.nextInt(1_000_000),
                rnd.nextInt(60_000) - 30_000, rnd.nextInt(256), rnd.nextInt(100_000_000), rnd.nextDouble() * 1e6,
                "customer-" + id + "-" + alnum(rnd, 8 + rnd.nextInt(24)), alnum(rnd, 8), note.toString(),
                created, updated, epoch, day, rnd.nextInt(4), tag, alnum(rnd, 6));
    }

    static String alnum(SplittableRandom rnd, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append(ALNUM[rnd.nextInt(ALNUM.length)]);
        return sb.toString();
    }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** The cells the binlog row deserializers hand to ValueConverter (temporal ones come decoded). */
    static Serializable[] binlogCells(Row r) {
        int[] c = r.created, u = r.updated, d = r.day;
        return new Serializable[]{r.id, r.tUs, r.qty, r.small, (int) (byte) r.flag,
                BigDecimal.valueOf(r.priceCents, 2), r.score, utf8(r.name), utf8(r.code), utf8(r.note),
                Value.DateTimeValue.dateTime(c[0], c[1], c[2], c[3], c[4], c[5], c[6]),
                new Value.TimestampValue(r.updatedEpoch, u[6]), Value.DateTimeValue.date(d[0], d[1], d[2]),
                r.status + 1, r.tag, jsonBinary(r)};
    }

    /** MySQL's binary JSON of {"k": id, "n": [1, 2, 3], "v": key}: a small object (keys sorted by length, then bytes). */
    static byte[] jsonBinary(Row r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] v = utf8(r.jsonKey);
        int size = 4 + 3 * 4 + 3 * 3 + 3 + 4 + 13 + 1 + v.length;
        b.write(0x00); // small object
        le16(b, 3);
        le16(b, size);
        for (int i = 0; i < 3; i++) { le16(b, 25 + i); le16(b, 1); } // keys "k", "n", "v" at 25..27
        b.write(0x07); le16(b, 28);  // k: int32 at 28
        b.write(0x02); le16(b, 32);  // n: small array at 32
        b.write(0x0c); le16(b, 45);  // v: string at 45
        b.write('k'); b.write('n'); b.write('v');
        le16(b, (int) r.id); le16(b, (int) (r.id >>> 16));
        le16(b, 3); le16(b, 13);
        for (int i = 1; i <= 3; i++) { b.write(0x05); le16(b, i); } // int16 inline
        b.write(v.length);
        b.writeBytes(v);
        return b.toByteArray();
    }

    static void le16(ByteArrayOutputStream b, int v) { b.write(v & 0xff); b.write((v >>> 8) & 0xff); }

    /**
     * The data of the TABLE_MAP event MySQL 5.7 writes before each rows event of the table (binlog
     * types and metadata of the 16 columns, in order), as the client hands it to the deserializer.
     */
    static byte[] tableMapEvent() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < 6; i++) b.write(i == 0 ? 108 : 0); // table id
        le16(b, 1); // flags
        for (String name : new String[]{"sluice_bench", "t_mixed"}) {
            b.write(name.length());
            b.writeBytes(utf8(name));
            b.write(0);
        }
        int[] types = {8, 8, 3, 2, 1, 246, 5, 15, 254, 252, 18, 17, 10, 254, 15, 245};
        b.write(types.length);
        for (int t : types) b.write(t);
        int[] meta = {12, 2, 8, 0x40, 0x01, 0xfe, 32, 2, 3, 6, 247, 1, 16, 0, 4}; // DECIMAL(12,2), DOUBLE, VARCHAR(80 x 4), CHAR(8 x 4), TEXT, DATETIME(3), TIMESTAMP(6), ENUM, VARBINARY(16), JSON
        b.write(meta.length);
        for (int m : meta) b.write(m);
        le16(b, 0); // no NULLable columns
        return b.toByteArray();
    }

    /** Sluice's TABLE_MAP deserializer (package-private in the reader's package), through the client's public interface. */
    @SuppressWarnings("unchecked")
    static com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer<?> tableMapDeserializer() {
        try {
            var constructor = Class.forName("io.sluice.source.mysql.binlog.LenientTableMapDeserializer").getDeclaredConstructor();
            constructor.setAccessible(true);
            return (com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer<?>) constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SELECT cells (text protocol, ENUM as col+0) of the same row. */
    static byte[][] jdbcCells(Row r) {
        int[] c = r.created, u = r.updated, d = r.day;
        return new byte[][]{utf8(Long.toString(r.id)), utf8(Long.toString(r.tUs)), utf8(Integer.toString(r.qty)),
                utf8(Integer.toString(r.small)), utf8(Integer.toString(r.flag)),
                utf8(BigDecimal.valueOf(r.priceCents, 2).toPlainString()), utf8(Double.toString(r.score)),
                utf8(r.name), utf8(r.code), utf8(r.note),
                utf8(String.format("%04d-%02d-%02d %02d:%02d:%02d.%03d", c[0], c[1], c[2], c[3], c[4], c[5], c[6] / 1000)),
                utf8(String.format("%04d-%02d-%02d %02d:%02d:%02d.%06d", u[0], u[1], u[2], u[3], u[4], u[5], u[6])),
                utf8(String.format("%04d-%02d-%02d", d[0], d[1], d[2])), utf8(Integer.toString(r.status + 1)), r.tag,
                utf8("{\"k\": " + r.id + ", \"n\": [1, 2, 3], \"v\": \"" + r.jsonKey + "\"}")};
    }

    interface Op { long run(int i); }

    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        boolean perColumn = args.length > 1 && args[1].equals("--columns");
        boolean toKafka = args.length > 2 && args[1].equals("--kafka");
        boolean dispatchKafka = args.length > 2 && args[1].equals("--dispatch-kafka");
        SplittableRandom rnd = new SplittableRandom(42);
        Serializable[][] binlog = new Serializable[ROWS][];
        byte[][][] jdbc = new byte[ROWS][][];
        RowChange[] changes = new RowChange[ROWS];
        SourcePosition pos = new SourcePosition("mysql-bin.000004", 123_456, 120_000,
                "3e11fa47-71ca-11e1-9e33-c80aa9429562:23", 1_732_500_000L);
        for (int i = 0; i < ROWS; i++) {
            Row r = randomRow(rnd, 100_000 + i);
            binlog[i] = binlogCells(r);
            jdbc[i] = jdbcCells(r);
        }
        for (int i = 0; i < ROWS; i++) {
            Value[] after = convertBinlog(binlog[i]);
            // mixed workload: half INSERTs, 3 in 10 UPDATEs (before and after), 2 in 10 DELETEs
            Operation op = i % 10 < 5 ? Operation.INSERT : i % 10 < 8 ? Operation.UPDATE : Operation.DELETE;
            changes[i] = switch (op) {
                case UPDATE -> new RowChange(TABLE, op, convertBinlog(binlog[(i + 1) % ROWS]), after, pos);
                case DELETE -> new RowChange(TABLE, op, after, null, pos);
                default -> new RowChange(TABLE, op, null, after, pos);
            };
        }
        System.out.println("JSON check, binlog: " + ((Value.TextObjectValue) convertBinlog(binlog[0])[15]).value()
                + ", SELECT: " + ((Value.TextObjectValue) convertJdbc(jdbc[0])[15]).value());

        DtsAvroEncoder encoder = new DtsAvroEncoder("bench-db", "5.7.22-log");
        if (toKafka) {
            byte[][] records = new byte[ROWS][];
            for (int i = 0; i < ROWS; i++) records[i] = encoder.encode(1_000_000 + i, changes[i], ROUTE);
            if (args.length > 3) kafkaSettings(args[2], seconds, records, java.util.Arrays.copyOfRange(args, 3, args.length));
            else kafka(args[2], seconds, records);
            return;
        }
        if (args.length > 2 && args[1].equals("--ab")) {
            ab(args[2], changes, seconds);
            return;
        }
        if (dispatchKafka) {
            for (int round = 0; round < 3; round++) { // a warm-up round, then two measured
                dispatch(changes, seconds, round == 0 ? null : "dispatch to Kafka, as fast as it can", args[2]);
            }
            return;
        }
        Op encode = i -> encoder.encode(i, changes[i % ROWS], ROUTE).length;
        Op fromBinlog = i -> convertBinlog(binlog[i % ROWS]).length;
        Op fromJdbc = i -> convertJdbc(jdbc[i % ROWS]).length;
        byte[] tableMap = tableMapEvent();
        var tableMaps = tableMapDeserializer();
        Op readTableMap = i -> {
            try {
                return tableMaps.deserialize(new com.github.shyiko.mysql.binlog.io.ByteArrayInputStream(tableMap)) == null ? 0 : 1;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        System.out.printf("%-40s %12s %10s%n", "path (16-column row)", "CPU ns/row", "bytes/row");
        // warm-up for the JIT, then measure each in turn
        boolean dispatchOnly = args.length > 1 && args[1].equals("--dispatch");
        if (!dispatchOnly) {
            for (Op op : new Op[]{encode, fromBinlog, readTableMap, fromJdbc}) measure(op, Math.max(1, seconds / 2));
            report("encode (DtsAvroEncoder, mixed ops)", measure(encode, seconds));
            report("binlog cells -> Value (ValueConverter)", measure(fromBinlog, seconds));
            report("binlog TABLE_MAP event (LenientTableMap)", measure(readTableMap, seconds));
            report("SELECT cells -> Value (JdbcValues)", measure(fromJdbc, seconds));
        }
        readerCells = binlog;
        report("reader's work alone (paced runs)", measure(EncoderBench::readerWork, seconds));
        dispatch(changes, seconds, null, null); // warm-up
        dispatch(changes, seconds, "dispatch, reader as fast as it can", null);
        dispatch(changes, seconds, null, null);
        dispatch(changes, seconds, "dispatch, reader paced", null);
        if (!perColumn) return;
        for (int c = 0; c < COLUMNS.size(); c++) {
            Column col = COLUMNS.get(c);
            int at = c;
            report("  binlog " + col.name(), measure(i -> ValueConverter.convert(col, binlog[i % ROWS][at]) == null ? 0 : 1, 1));
            report("  SELECT " + col.name(), measure(i -> JdbcValues.convert(col, jdbc[i % ROWS][at]) == null ? 0 : 1, 1));
        }
    }

    /**
     * The Kafka sink's per-record work against a real broker: TransactionalKafkaSink.send of the
     * mixed workload's DTS Avro records (about 700 bytes, lz4 as the job sends them) to one partition, a commit (checkpoint record + transaction
     * commit) every 1000 records, as the dispatcher does at full speed. Reports the calling thread's
     * CPU and allocation per record, and the producer's network thread's CPU per record.
     */
    static void kafka(String bootstrap, int seconds, byte[][] values) {
        var config = new io.sluice.core.config.JobConfig.Target();
        config.bootstrapServers = bootstrap;
        config.topic = "sluice-micro-" + ProcessHandle.current().pid();
        var target = new io.sluice.sink.kafka.KafkaTarget(config);
        target.ensureTopic(true);
        String checkpoints = config.topic + "-checkpoints";
        target.ensureTopic(checkpoints, true);
        var sink = io.sluice.sink.kafka.TransactionalKafkaSink.open(target, checkpoints, config.topic);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] checkpoint = "{\"binlogFile\":\"mysql-bin.000004\",\"binlogPosition\":123456}".getBytes(StandardCharsets.UTF_8);
        io.sluice.sink.kafka.RecordOrigin origin = () -> "a row";
        for (int round = 0; round < 2; round++) { // warm-up, then measured
            long me = Thread.currentThread().getId();
            long[] network = networkThreads(threads);
            long cpu0 = threads.getCurrentThreadCpuTime(), a0 = threads.getThreadAllocatedBytes(me), net0 = cpuOf(threads, network);
            long records = 0, end = System.nanoTime() + (round == 0 ? Math.max(1, seconds / 2) : seconds) * 1_000_000_000L;
            do {
                for (int i = 0; i < 1000; i++) sink.send(null, 0, null, values[(int) (records++ % ROWS)], origin);
                sink.commit(checkpoint);
            } while (System.nanoTime() < end);
            long cpu = threads.getCurrentThreadCpuTime() - cpu0, alloc = threads.getThreadAllocatedBytes(me) - a0;
            long net = cpuOf(threads, network) - net0;
            if (round == 1) {
                report("Kafka sink send, calling thread", new double[]{cpu / (double) records, alloc / (double) records});
                report("Kafka sink, producer network thread", new double[]{net / (double) records, 0});
                System.out.printf("  (%d records, %d transactions)%n", records, records / 1000);
            }
        }
        sink.close();
    }

    /**
     * Producer settings compared: each argument is one set of target.producer settings
     * ("compression.type=none,batch.size=1048576"), each measured in turn, three alternating rounds.
     * Per record: the calling thread's CPU, the network thread's CPU, the whole process's CPU and the
     * bytes the producer sent (its outgoing-byte-total: compressed batches plus request overhead).
     */
    static void kafkaSettings(String bootstrap, int seconds, byte[][] values, String[] settings) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        byte[] checkpoint = "{\"binlogFile\":\"mysql-bin.000004\",\"binlogPosition\":123456}".getBytes(StandardCharsets.UTF_8);
        io.sluice.sink.kafka.RecordOrigin origin = () -> "a row";
        long valueBytes = 0;
        for (byte[] v : values) valueBytes += v.length;
        System.out.printf("record value: %.0f bytes on average%n", valueBytes / (double) values.length);
        System.out.printf("%-55s %6s %9s %9s %9s %9s%n", "settings", "round", "send ns", "net ns", "proc ns", "bytes");
        for (int round = 0; round < 4; round++) { // round 0 warms the JIT up
            for (int s = 0; s < settings.length; s++) {
                var config = new io.sluice.core.config.JobConfig.Target();
                config.bootstrapServers = bootstrap;
                config.topic = "sluice-micro-" + ProcessHandle.current().pid() + "-" + round + "-" + s;
                for (String kv : settings[s].split(",")) {
                    if (kv.isBlank()) continue;
                    String[] two = kv.split("=", 2);
                    config.producer.put(two[0], two[1]);
                }
                var target = new io.sluice.sink.kafka.KafkaTarget(config);
                target.ensureTopic(true);
                String checkpoints = config.topic + "-checkpoints";
                target.ensureTopic(checkpoints, true);
                var sink = io.sluice.sink.kafka.TransactionalKafkaSink.open(target, checkpoints, config.topic);
                long me = Thread.currentThread().getId();
                long[] network = networkThreads(threads);
                double out0 = outgoingBytes(config.topic);
                long cpu0 = threads.getCurrentThreadCpuTime(), net0 = cpuOf(threads, network), proc0 = os.getProcessCpuTime();
                long records = 0, end = System.nanoTime() + (round == 0 ? 2 : seconds) * 1_000_000_000L;
                do {
                    for (int i = 0; i < 1000; i++) sink.send(null, 0, null, values[(int) (records++ % ROWS)], origin);
                    sink.commit(checkpoint);
                } while (System.nanoTime() < end);
                long cpu = threads.getCurrentThreadCpuTime() - cpu0, net = cpuOf(threads, network) - net0, proc = os.getProcessCpuTime() - proc0;
                double out = outgoingBytes(config.topic) - out0;
                System.out.printf("%-55s %6s %9.0f %9.0f %9.0f %9.1f%n", settings[s].isBlank() ? "(defaults)" : settings[s],
                        round == 0 ? "warm" : String.valueOf(round), cpu / (double) records, net / (double) records,
                        proc / (double) records, out / records);
                sink.close();
                try (var admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of("bootstrap.servers", bootstrap))) {
                    admin.deleteTopics(java.util.List.of(config.topic, checkpoints)).all().get();
                } catch (Exception e) {
                    System.out.println("  (topics not deleted: " + e + ")");
                }
            }
        }
    }

    /** The producer's outgoing-byte-total metric (client id sluice-<topic>), read through JMX. */
    static double outgoingBytes(String topic) {
        try {
            var server = ManagementFactory.getPlatformMBeanServer();
            var name = new javax.management.ObjectName("kafka.producer:type=producer-metrics,client-id=sluice-" + topic);
            return ((Number) server.getAttribute(name, "outgoing-byte-total")).doubleValue();
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    static long[] networkThreads(java.lang.management.ThreadMXBean threads) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("kafka-producer-network-thread"))
                .mapToLong(Thread::getId).toArray();
    }

    static long cpuOf(java.lang.management.ThreadMXBean threads, long[] ids) {
        long sum = 0;
        for (long id : ids) sum += Math.max(0, threads.getThreadCpuTime(id));
        return sum;
    }

    /** Counts what the dispatcher hands to Kafka and commits; sends nothing. */
    static final class CountingDelivery implements io.sluice.engine.delivery.Delivery {
        volatile long records;
        long bytes, commits;
        @Override public void send(String topic, int partition, byte[] key, byte[] value, io.sluice.sink.kafka.RecordOrigin origin) {
            records++;
            bytes += value.length;
        }
        @Override public void commit(io.sluice.engine.state.Checkpoint checkpoint) { commits++; }
        @Override public void abort() { }
        @Override public io.sluice.engine.state.Checkpoint lastCommitted() { return null; }
        @Override public boolean exactlyOnce() { return true; }
        @Override public int commitIntervalMs() { return 50; }
        @Override public void close() { }
    }

    /**
     * The dispatch path as the job runs it: the mixed workload's row changes (transactions of 10, each
     * ending in a commit) handed over by this thread (the binlog reader's place) to a Dispatcher on its
     * own thread (routing, ids, DTS Avro encoding, checkpoints, commits every 50 ms) with a delivery
     * that only counts. Reports the CPU and allocation per row change of the dispatch thread and of
     * the reader thread (the hand-off and its waits, as the binlog thread pays them). {@code paced}:
     * before each row the reader does the binlog thread's own work ({@link #readerWork}: converting
     * binlog cells, {@link #READER_WORK} rows' worth, a few µs) as the real reader does, so the
     * dispatcher waits for work as it does in the job (the reader's figure then includes that work,
     * reported alone beside it); else it hands over as fast as it can (the queue stays full).
     */
    static Serializable[][] readerCells;
    static final int READER_WORK = 6;

    /** The paced reader's work per row: binlog cells to Values, as the binlog thread converts each row. */
    static long readerWork(int i) {
        long n = 0;
        for (int k = 0; k < READER_WORK; k++) n += convertBinlog(readerCells[(i + k) % ROWS]).length;
        return n;
    }

    /**
     * Encoding A/B in one process: the DtsAvroEncoder of another sluice-format-dts jar (loaded child-first)
     * against this classpath's, on the same rows. First every record of both must be byte-equal; then
     * {@code seconds} rounds of one second each, alternating which goes first, so a load change on a
     * shared machine hits both alike. Prints the median CPU ns and bytes per row of each.
     */
    static void ab(String otherJar, RowChange[] changes, int rounds) {
        try {
            ClassLoader parent = io.sluice.core.format.RecordEncoder.class.getClassLoader();
            ClassLoader childFirst = new java.net.URLClassLoader(new java.net.URL[]{java.nio.file.Path.of(otherJar).toUri().toURL()}, parent) {
                @Override
                protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                    if (!name.startsWith("io.sluice.format.dts.")) return super.loadClass(name, resolve);
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : findClass(name);
                    }
                }
            };
            var other = (io.sluice.core.format.RecordEncoder) childFirst.loadClass("io.sluice.format.dts.DtsAvroEncoder")
                    .getConstructor(String.class, String.class).newInstance("bench-db", "5.7.22-log");
            if (other.getClass() == DtsAvroEncoder.class) throw new IllegalStateException("the other jar's encoder is this one");
            var mine = new DtsAvroEncoder("bench-db", "5.7.22-log");
            for (int i = 0; i < ROWS; i++) {
                long id = i * 7_919L * (i % 3 == 0 ? 1_000_003L : 1);
                if (!java.util.Arrays.equals(other.encode(id, changes[i], ROUTE), mine.encode(id, changes[i], ROUTE))) {
                    throw new IllegalStateException("row " + i + ": the two encoders' bytes differ");
                }
            }
            System.out.println("all " + ROWS + " rows byte-equal between " + otherJar + " and this classpath");
            Op a = i -> other.encode(i, changes[i % ROWS], ROUTE).length;
            Op b = i -> mine.encode(i, changes[i % ROWS], ROUTE).length;
            for (int w = 0; w < 3; w++) { measure(a, 1); measure(b, 1); } // warm-up
            double[] cpuA = new double[rounds], cpuB = new double[rounds], allocA = new double[rounds], allocB = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                boolean aFirst = r % 2 == 0;
                double[] first = measure(aFirst ? a : b, 1), second = measure(aFirst ? b : a, 1);
                double[] ma = aFirst ? first : second, mb = aFirst ? second : first;
                cpuA[r] = ma[0]; allocA[r] = ma[1]; cpuB[r] = mb[0]; allocB[r] = mb[1];
            }
            report("encode, other jar (median)", new double[]{median(cpuA), median(allocA)});
            report("encode, this classpath (median)", new double[]{median(cpuB), median(allocB)});
            System.out.printf("  this / other per round: min %.3f, median %.3f, max %.3f (%d rounds)%n",
                    ratio(cpuB, cpuA, 0), ratio(cpuB, cpuA, 1), ratio(cpuB, cpuA, 2), rounds);
        } catch (ReflectiveOperationException | java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** {min, median, max}[which] of b[r] / a[r]. */
    static double ratio(double[] b, double[] a, int which) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = b[i] / a[i];
        java.util.Arrays.sort(r);
        return which == 0 ? r[0] : which == 2 ? r[r.length - 1] : median(r);
    }

    /**
     * Delivers to a real broker as ExactlyOnceDelivery does (TransactionalKafkaSink: the records, then
     * the checkpoint and the commit), without its topic checks; counts the records.
     */
    static final class KafkaDelivery implements io.sluice.engine.delivery.Delivery {
        final io.sluice.sink.kafka.TransactionalKafkaSink sink;
        volatile long records;
        long commits;
        KafkaDelivery(io.sluice.sink.kafka.TransactionalKafkaSink sink) { this.sink = sink; }
        @Override public void send(String topic, int partition, byte[] key, byte[] value, io.sluice.sink.kafka.RecordOrigin origin) {
            sink.send(topic, partition, key, value, origin);
            records++;
        }
        @Override public void commit(io.sluice.engine.state.Checkpoint checkpoint) {
            sink.commit(checkpoint.withSchemaHistory(null).toJson());
            commits++;
        }
        @Override public void abort() { sink.abort(); }
        @Override public io.sluice.engine.state.Checkpoint lastCommitted() { return null; }
        @Override public boolean exactlyOnce() { return true; }
        @Override public int commitIntervalMs() { return 50; }
        @Override public boolean commitsWhenCaughtUp() { return true; }
        @Override public void close() { sink.close(); }
    }

    /** @param kafka a broker's bootstrap address: deliver there (a topic sluice-micro-<pid>), else only count */
    static void dispatch(RowChange[] changes, int seconds, String label, String kafka) {
        boolean paced = label != null && label.endsWith("paced");
        try {
            var objects = new io.sluice.core.config.JobConfig.Objects();
            objects.include.add("sluice_bench.*");
            var target = new io.sluice.core.config.JobConfig.Target();
            target.topic = kafka == null ? "sluice-bench" : "sluice-micro-" + ProcessHandle.current().pid();
            io.sluice.engine.delivery.Delivery delivery;
            java.util.function.LongSupplier delivered;
            if (kafka == null) {
                CountingDelivery counting = new CountingDelivery();
                delivery = counting;
                delivered = () -> counting.records;
            } else {
                target.bootstrapServers = kafka;
                var kafkaTarget = new io.sluice.sink.kafka.KafkaTarget(target);
                kafkaTarget.ensureTopic(true);
                kafkaTarget.ensureTopic(target.topic + "-checkpoints", true);
                var toKafka = new KafkaDelivery(io.sluice.sink.kafka.TransactionalKafkaSink.open(kafkaTarget, target.topic + "-checkpoints", target.topic));
                delivery = toKafka;
                delivered = () -> toKafka.records;
            }
            var router = new io.sluice.core.route.Router(objects, target);
            var schemas = io.sluice.source.mysql.SchemaCache.fromJson(
                    "{\"v\":1,\"serverCharset\":\"utf8mb4\",\"utf8\":\"utf8\",\"mariadb\":false,\"databases\":{},\"tables\":[]}", null);
            var start = io.sluice.engine.state.Checkpoint.at(new io.sluice.core.model.BinlogOffset("mysql-bin.000004", 4, ""), 0, 1);
            Class<?> type = Class.forName("io.sluice.engine.job.Dispatcher");
            Class<?> metricsType = Class.forName("io.sluice.engine.job.JobMetrics");
            var make = type.getDeclaredConstructor(io.sluice.core.route.Router.class, io.sluice.core.format.RecordEncoder.class,
                    io.sluice.engine.delivery.Delivery.class, int.class, int.class, io.sluice.engine.state.Checkpoint.class,
                    metricsType, io.sluice.source.mysql.SchemaCache.class);
            make.setAccessible(true);
            var finish = type.getDeclaredMethod("finish");
            finish.setAccessible(true);
            Object dispatcher = make.newInstance(router, new DtsAvroEncoder("bench-db", "5.7.22-log"), delivery, 1, 10_000,
                    start, metricsType.getDeclaredConstructor().newInstance(), schemas);
            var handler = (io.sluice.core.source.ChangeHandler) dispatcher;
            Thread thread = new Thread((Runnable) dispatcher, "dispatch");
            thread.start();
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long me = Thread.currentThread().getId();
            // prebuilt: each row its own position and its transaction's GTID, 10 rows a transaction
            int n = 4000;
            RowChange[] rowsIn = new RowChange[n];
            io.sluice.core.model.BinlogOffset[] commits = new io.sluice.core.model.BinlogOffset[n / 10];
            String[] gtids = new String[n / 10];
            long position = 4;
            for (int i = 0; i < n; i++) {
                RowChange c = changes[i];
                if (i % 10 == 0) gtids[i / 10] = "3e11fa47-71ca-11e1-9e33-c80aa9429562:" + (i / 10 + 1);
                rowsIn[i] = new RowChange(c.table(), c.operation(), c.before(), c.after(), new SourcePosition(
                        "mysql-bin.000004", position + 700 * (i % 10 + 1), position, gtids[i / 10], 1_732_500_000L));
                if (i % 10 == 9) commits[i / 10] = new io.sluice.core.model.BinlogOffset("mysql-bin.000004", position += 7030, "");
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long[] network = networkThreads(threads);
            long net0 = cpuOf(threads, network), process0 = os.getProcessCpuTime();
            long rows = 0, a0 = threads.getThreadAllocatedBytes(me);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long cpu0 = threads.getThreadCpuTime(thread.getId()), alloc0 = threads.getThreadAllocatedBytes(thread.getId());
            long readerCpu0 = threads.getCurrentThreadCpuTime();
            do {
                for (int k = 0; k < 1000; k++) {
                    int i = (int) (rows % n);
                    if (paced) sink += readerWork(i);
                    handler.onRow(rowsIn[i]);
                    if (i % 10 == 9) handler.onCommit(commits[i / 10], gtids[i / 10], List.of());
                    rows++;
                }
            } while (System.nanoTime() < end);
            long readerAlloc = threads.getThreadAllocatedBytes(me) - a0;
            long readerCpu = threads.getCurrentThreadCpuTime() - readerCpu0;
            while (delivered.getAsLong() < rows) Thread.sleep(1); // drained: read the thread's figures while it lives
            long cpu = threads.getThreadCpuTime(thread.getId()) - cpu0;
            long alloc = threads.getThreadAllocatedBytes(thread.getId()) - alloc0;
            long net = cpuOf(threads, network) - net0, process = os.getProcessCpuTime() - process0;
            finish.invoke(dispatcher);
            thread.join();
            delivery.close();
            if (kafka != null) {
                try (var admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of("bootstrap.servers", kafka))) {
                    admin.deleteTopics(List.of(target.topic, target.topic + "-checkpoints")).all().get();
                } catch (java.util.concurrent.ExecutionException e) {
                    System.out.println("  (topics not deleted: " + e.getCause() + ")");
                }
            }
            if (label != null) {
                report(label + ": dispatch thread", new double[]{cpu / (double) rows, alloc / (double) rows});
                report(label + ": reader thread", new double[]{readerCpu / (double) rows, readerAlloc / (double) rows});
                if (kafka != null) {
                    report(label + ": producer network thread", new double[]{net / (double) rows, 0});
                    report(label + ": whole process", new double[]{process / (double) rows, 0});
                }
                System.out.printf("  (%d row changes, %d records)%n", rows, delivered.getAsLong());
            }
        } catch (ReflectiveOperationException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static Value[] convertBinlog(Serializable[] cells) {
        Value[] row = new Value[cells.length];
        for (int c = 0; c < cells.length; c++) row[c] = ValueConverter.convert(COLUMNS.get(c), cells[c]);
        return row;
    }

    static Value[] convertJdbc(byte[][] cells) {
        Value[] row = new Value[cells.length];
        for (int c = 0; c < cells.length; c++) row[c] = JdbcValues.convert(COLUMNS.get(c), cells[c]);
        return row;
    }

    static long sink;

    /**
     * {CPU ns per row, bytes allocated per row} over at least {@code seconds} of wall time. The
     * thread's CPU time, not the wall time: on a shared machine, time spent descheduled is not charged.
     */
    static double[] measure(Op op, int seconds) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long rows = 0, allocated = 0, end = System.nanoTime() + seconds * 1_000_000_000L;
        long cpu0 = threads.getCurrentThreadCpuTime();
        do {
            long a0 = threads.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 100_000; i++) sink += op.run(i);
            allocated += threads.getThreadAllocatedBytes(tid) - a0;
            rows += 100_000;
        } while (System.nanoTime() < end);
        return new double[]{(threads.getCurrentThreadCpuTime() - cpu0) / (double) rows, allocated / (double) rows};
    }

    static void report(String what, double[] m) {
        System.out.printf("%-40s %12.0f %10.0f%n", what, m[0], m[1]);
    }
}
