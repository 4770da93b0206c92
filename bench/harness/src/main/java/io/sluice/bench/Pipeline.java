package io.sluice.bench;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pipeline limit: what a Sluice that cost nothing would reach on this machine, with MySQL and
 * the broker working as they do for Sluice. The source side (the binlog client reading the same
 * binlog range, or JDBC streaming reads of the initialization's chunk queries) and the sink side
 * (one producer sending the records Sluice wrote, pre-encoded, in Kafka transactions committed
 * every {@code commitIntervalMs}, as KafkaSink does) run at the same time from one start instant;
 * each side's time ends at its last row read / last record appended (LogAppendTime). Either side
 * can also run alone (the separate binlog-read and Kafka-produce limits).
 */
final class Pipeline {

    /**
     * Milliseconds from the common start to each side's end (NaN: that side did not run), and the CPU
     * it took ({@link Cpu}).
     */
    record Times(double sourceMs, double sinkMs, long n, Cpu cpu) {
        double sourceEps() { return n * 1000.0 / Math.max(1, sourceMs); }
        double sinkEps() { return n * 1000.0 / Math.max(1, sinkMs); }
        /** Both sides together: the later one ends the pipeline. */
        double eps() { return n * 1000.0 / Math.max(1, Math.max(Double.isNaN(sourceMs) ? 0 : sourceMs, Double.isNaN(sinkMs) ? 0 : sinkMs)); }
    }

    /**
     * CPU milliseconds of one measurement: the harness process (every thread, GC and JIT included,
     * as a tool's process CPU is counted), its source-side threads (the binlog client's thread, or
     * the JDBC readers), its sending thread and the producer's network thread, and the servers
     * (mysqld, broker) over the same wall-clock window.
     */
    record Cpu(long events, double processMs, double sourceMs, double sendMs, double networkMs, Map<String, Double> serversMs)
            implements java.io.Serializable {
        /** CPU seconds per 10k events (rows) of {@code ms} over {@code n}. */
        static double per10k(double ms, long n) {
            return ms / 1000.0 * 10_000 / Math.max(1, n);
        }

        /** CPU seconds per 10k events of the harness process. */
        double process() { return per10k(processMs, events); }
        double source() { return per10k(sourceMs, events); }
        double send() { return per10k(sendMs, events); }
        double network() { return per10k(networkMs, events); }
        /** Of one server (mysqld, kafka), or null. */
        Double server(String name) {
            Double ms = serversMs.get(name);
            return ms == null ? null : per10k(ms, events);
        }
        /** Of all the servers together, or null when none was sampled. */
        Double servers() {
            return serversMs.isEmpty() ? null : per10k(serversMs.values().stream().mapToDouble(Double::doubleValue).sum(), events);
        }
    }

    private final String bootstrap;
    private final int commitIntervalMs;
    private final ServerCpu servers;

    Pipeline(String bootstrap, int commitIntervalMs, ServerCpu servers) {
        this.bootstrap = bootstrap;
        this.commitIntervalMs = commitIntervalMs;
        this.servers = servers;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU ns of the live threads whose name starts with {@code prefix}. */
    private static long threadsCpuNs(String prefix) {
        long sum = 0;
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(prefix)) sum += Math.max(0, THREADS.getThreadCpuTime(t.getThreadId()));
        }
        return sum;
    }

    private static final String NETWORK_THREAD = "kafka-producer-network-thread";

    /** The CPU of one measurement, from the process and network-thread readings taken at its start. */
    private Cpu cpu(long n, long process0, long network0, long wall0, long sourceNs, long sendNs) {
        Map<String, Double> srv = servers == null ? Map.of() : servers.used(wall0, System.currentTimeMillis());
        return new Cpu(n, (processCpuNs() - process0) / 1e6, sourceNs / 1e6, sendNs / 1e6,
                (threadsCpuNs(NETWORK_THREAD) - network0) / 1e6, srv);
    }

    /**
     * Streaming: the binlog client reads {@code rows} rows of {@code table} from {file, position}
     * (if {@code binlog}) while the producer sends {@code records} (if non-null) to {@code topic}.
     */
    Times streaming(int mysqlPort, String[] from, String table, long rows, byte[][][] records, String topic,
                    boolean binlog) throws Exception {
        return streaming(mysqlPort, from, table, rows, records, topic, binlog, false);
    }

    /**
     * As above; with {@code rowsSkipped} the binlog side decodes no row (each rows event counts as
     * one row, exact for workloads of single-row statements only): the floor of reading the binlog.
     */
    Times streaming(int mysqlPort, String[] from, String table, long rows, byte[][][] records, String topic,
                    boolean binlog, boolean rowsSkipped) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try (Sender sender = records == null ? null : new Sender(topic)) {
            long process0 = processCpuNs(), network0 = threadsCpuNs(NETWORK_THREAD);
            long t0 = System.currentTimeMillis();
            long[] sourceNs = {0};
            Future<Double> src = binlog ? ex.submit(() -> {
                BinlogLimit.Seg s = BinlogLimit.read(mysqlPort, from[0], Long.parseLong(from[1]), rows, List.of(table), 300, rowsSkipped).get(table);
                sourceNs[0] = s.readerCpuNs;
                return (double) (s.lastMs - t0);
            }) : null;
            Future<double[]> sink = sender == null ? null : ex.submit(() -> sender.send(records, records.length, t0));
            double sourceMs = src == null ? Double.NaN : src.get();
            double[] sent = sink == null ? new double[] {Double.NaN, 0} : sink.get();
            long n = records != null ? records.length : rows;
            return new Times(sourceMs, sent[0], n, cpu(n, process0, network0, t0, sourceNs[0], (long) sent[1]));
        } finally {
            ex.shutdownNow();
        }
    }

    /** The producer alone sends {@code n} records, cycling through {@code records}. */
    Times producing(byte[][][] records, long n, String topic) throws Exception {
        try (Sender sender = new Sender(topic)) {
            long process0 = processCpuNs(), network0 = threadsCpuNs(NETWORK_THREAD);
            long t0 = System.currentTimeMillis();
            double[] sent = sender.send(records, n, t0);
            return new Times(Double.NaN, sent[0], n, cpu(n, process0, network0, t0, 0, (long) sent[1]));
        }
    }

    /**
     * Initialization: {@code readers} JDBC connections read {@code table} in key-range chunks of
     * {@code chunkSize} rows (Sluice's queries: the next bound by an index-only
     * {@code LIMIT 1 OFFSET chunkSize-1}, then {@code WHERE id > lower AND id <= upper ORDER BY id},
     * streamed, every column's bytes taken) while the producer sends {@code rows} records, cycling
     * through the INIT records held in {@code records}.
     */
    Times init(String jdbcUrl, String table, long rows, int chunkSize, int readers, byte[][][] records, String topic,
               boolean read, boolean send) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(readers + 1);
        try (Sender sender = send ? new Sender(topic) : null) {
            ChunkBounds bounds = new ChunkBounds(jdbcUrl, table, chunkSize);
            long process0 = processCpuNs(), network0 = threadsCpuNs(NETWORK_THREAD);
            long t0 = System.currentTimeMillis();
            List<Future<long[]>> rs = new ArrayList<>();
            AtomicLong lastRowMs = new AtomicLong();
            if (read) {
                for (int i = 0; i < readers; i++) {
                    rs.add(ex.submit(() -> readChunks(jdbcUrl, table, bounds, lastRowMs)));
                }
            }
            Future<double[]> sink = send ? ex.submit(() -> sender.send(records, rows, t0)) : null;
            long n = 0, readNs = 0;
            for (Future<long[]> f : rs) {
                long[] r = f.get();
                n += r[0];
                readNs += r[1];
            }
            if (read && n != rows) throw new IllegalStateException("init pipeline: read " + n + " of " + rows + " rows");
            bounds.close();
            double[] sent = sink == null ? new double[] {Double.NaN, 0} : sink.get();
            return new Times(read ? lastRowMs.get() - t0 : Double.NaN, sent[0], rows,
                    cpu(rows, process0, network0, t0, readNs, (long) sent[1]));
        } finally {
            ex.shutdownNow();
        }
    }

    /** {rows read, this reader thread's CPU ns}. */
    private static long[] readChunks(String url, String table, ChunkBounds bounds, AtomicLong lastRowMs) throws Exception {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long n = 0;
        try (Connection c = DriverManager.getConnection(url + "&useCursorFetch=false", "sluice", "sluice")) {
            String cols = "id,t_us,qty,small,flag,price,score,name,code,note,created,updated,day,status+0,tag,attrs";
            try (PreparedStatement mid = c.prepareStatement("SELECT " + cols + " FROM " + table + " WHERE id > ? AND id <= ? ORDER BY id",
                    ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                 PreparedStatement last = c.prepareStatement("SELECT " + cols + " FROM " + table + " WHERE id > ? ORDER BY id",
                         ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                mid.setFetchSize(Integer.MIN_VALUE);
                last.setFetchSize(Integer.MIN_VALUE);
                long sink = 0;
                long[] b;
                while ((b = bounds.next()) != null) {
                    PreparedStatement s = b[1] < 0 ? last : mid;
                    s.setLong(1, b[0]);
                    if (b[1] >= 0) s.setLong(2, b[1]);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            for (int i = 1; i <= 16; i++) {
                                byte[] v = rs.getBytes(i);
                                if (v != null) sink += v.length;
                            }
                            n++;
                        }
                    }
                    lastRowMs.accumulateAndGet(System.currentTimeMillis(), Math::max);
                }
                if (sink == 42) System.out.print("");
            }
        }
        return new long[] {n, THREADS.getCurrentThreadCpuTime() - cpu0};
    }

    /** The chunk planner: hands out (lower, upper] in key order; upper -1 = the rest of the table. */
    private static final class ChunkBounds implements AutoCloseable {
        private final Connection c;
        private final PreparedStatement next;
        private long lower = Long.MIN_VALUE;
        private boolean done;

        ChunkBounds(String url, String table, int chunkSize) throws Exception {
            c = DriverManager.getConnection(url, "sluice", "sluice");
            next = c.prepareStatement("SELECT id FROM " + table + " WHERE id > ? ORDER BY id LIMIT 1 OFFSET " + (chunkSize - 1));
        }

        synchronized long[] next() throws Exception {
            if (done) return null;
            next.setLong(1, lower);
            try (ResultSet rs = next.executeQuery()) {
                long from = lower;
                if (rs.next()) {
                    lower = rs.getLong(1);
                    return new long[] {from, lower};
                }
                done = true;
                return new long[] {from, -1};
            }
        }

        @Override
        public void close() throws Exception {
            c.close();
        }
    }

    /** One transactional producer with KafkaSink's settings, started (metadata, transactions) before the clock. */
    private final class Sender implements AutoCloseable {
        final KafkaProducer<byte[], byte[]> producer;
        final String topic;

        Sender(String topic) {
            this.topic = topic;
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
            props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-pipeline-" + UUID.randomUUID());
            producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
            producer.initTransactions();
            producer.partitionsFor(topic);
        }

        /**
         * Sends {@code n} records (cycling through {@code records}), committing every commitIntervalMs;
         * {ms from t0 to the last append, this thread's CPU ns}.
         */
        double[] send(byte[][][] records, long n, long t0) throws Exception {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            AtomicLong lastAppend = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            producer.beginTransaction();
            long nextCommit = System.currentTimeMillis() + commitIntervalMs;
            for (long i = 0; i < n; i++) {
                byte[][] kv = records[(int) (i % records.length)];
                producer.send(new ProducerRecord<>(topic, 0, kv[0], kv[1]), (md, e) -> {
                    if (e != null) failed.incrementAndGet(); else lastAppend.accumulateAndGet(md.timestamp(), Math::max);
                });
                if ((i & 255) == 0 && System.currentTimeMillis() >= nextCommit) {
                    producer.commitTransaction();
                    producer.beginTransaction();
                    nextCommit = System.currentTimeMillis() + commitIntervalMs;
                }
            }
            producer.commitTransaction();
            if (failed.get() > 0) throw new IllegalStateException(failed.get() + " records failed");
            return new double[] {lastAppend.get() - t0, THREADS.getCurrentThreadCpuTime() - cpu0};
        }

        @Override
        public void close() {
            producer.close();
        }
    }

}
