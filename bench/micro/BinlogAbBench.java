import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.GtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.BufferedSocketInputStream;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.source.mysql.schema.Dialect;
import io.sluice.source.mysql.schema.SchemaHistory;
import io.sluice.source.mysql.value.OldTemporalColumns;
import io.sluice.source.mysql.value.ValueConverter;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A/B of the binlog thread's "read + deserialize" path (BinlogBench.java) in ONE process: this
 * build's event deserializer against another build's sluice-source-mysql jar (its
 * io.sluice.source.mysql classes loaded child-first; the binlog client is shared), over the same
 * recording, in alternating one-second rounds (which goes first alternates), so a load change on
 * the shared machine hits both alike. Figures: the thread's CPU ns and bytes allocated per row
 * change; each pass also allocates the client's 512 KB socket buffer (about 520 bytes per change,
 * the same in both).
 * With {@code --json}, the same A/B of the binlog JSON conversion instead ({@code ValueConverter.json},
 * binary JSON to text) on 1,000 documents of the bench's shape ({"k":n,"s":"abc","v":n}, as MySQL 5.7
 * stores them): both builds must give the same text for every document; figures per document.
 * Usage: BinlogAbBench <recording.binlog.gz> <rounds> <other sluice-source-mysql.jar> [--json]
 */
public final class BinlogAbBench {

    static final int MAX_PACKET = 0xFFFFFF;

    public static void main(String[] args) throws Exception {
        byte[] file;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(args[0])))) {
            file = in.readAllBytes();
        }
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        // events after the 4-byte magic; the setup (ROTATE, FORMAT_DESCRIPTION, CREATE TABLE, the initial
        // INSERT) ends at the first XID, the measured part is the mixed transactions after it
        List<byte[]> setup = new ArrayList<>(), steady = new ArrayList<>();
        boolean inSetup = true;
        for (int p = 4; p < file.length; ) {
            int length = le(file, p + 9);
            byte[] e = java.util.Arrays.copyOfRange(file, p, p + length);
            (inSetup ? setup : steady).add(e);
            if (inSetup && (e[4] & 0xFF) == 16) inSetup = false; // XID
            p += length;
        }
        byte[] setupPackets = packets(setup), steadyPackets = packets(steady);

        String otherJar = args[2];
        ClassLoader parent = BinlogAbBench.class.getClassLoader();
        ClassLoader other = new java.net.URLClassLoader(new java.net.URL[] {Path.of(otherJar).toUri().toURL()}, parent) {
            @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.startsWith("io.sluice.source.mysql.")) return super.loadClass(name, resolve);
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    if (c == null) c = findClass(name);
                    return c;
                }
            }
        };
        Side[] sides;
        if (args.length > 3 && args[3].equals("--json")) {
            Method[] json = {json(parent), json(other)};
            byte[][] docs = new byte[1000][];
            for (int i = 0; i < docs.length; i++) docs[i] = jsonDocument(i, i * 7 % 1000);
            for (byte[] d : docs) {
                if (!json[0].invoke(null, (Object) d).equals(json[1].invoke(null, (Object) d))) throw new AssertionError("texts differ");
            }
            System.out.println("all " + docs.length + " JSON documents give the same text, e.g. " + json[0].invoke(null, (Object) docs[5]));
            sides = new Side[] {() -> measureJson(json[0], docs), () -> measureJson(json[1], docs)};
        } else {
            EventDeserializer[] ds = {deserializer(parent), deserializer(other)};
            for (EventDeserializer d : ds) replay(d, setupPackets);
            long rowsPerPass = 1000;
            sides = new Side[] {() -> measure(ds[0], steadyPackets, rowsPerPass, 1), () -> measure(ds[1], steadyPackets, rowsPerPass, 1)};
        }
        for (int w = 0; w < 3; w++) for (Side side : sides) side.measure();
        int rounds = Integer.parseInt(args[1]);
        double[][] cpu = new double[2][rounds], bytes = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int i = (r % 2 == 0) ? k : 1 - k;
                double[] m = sides[i].measure();
                cpu[i][r] = m[0]; bytes[i][r] = m[1];
            }
            System.out.printf("round %d: this %.0f ns %.0f B, other %.0f ns %.0f B, ratio %.3f%n", r, cpu[0][r], bytes[0][r], cpu[1][r], bytes[1][r], cpu[0][r] / cpu[1][r]);
        }
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) ratio[r] = cpu[0][r] / cpu[1][r];
        java.util.Arrays.sort(ratio);
        double[] a = cpu[0].clone(), b = cpu[1].clone();
        java.util.Arrays.sort(a); java.util.Arrays.sort(b);
        System.out.printf("median: this %.0f ns, other %.0f ns, ratio this/other median %.3f (min %.3f max %.3f)%n", a[rounds / 2], b[rounds / 2], ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
    }

    static long sink;

    /** One build's path: one second of it, then its CPU ns and bytes allocated per unit (row change, document). */
    interface Side {
        double[] measure() throws Exception;
    }

    static Method json(ClassLoader loader) throws Exception {
        Method m = Class.forName("io.sluice.source.mysql.value.ValueConverter", true, loader).getDeclaredMethod("json", byte[].class);
        m.setAccessible(true);
        return m;
    }

    /** One second of JSON conversions: CPU ns and bytes per document (reflection's call, in both, included). */
    static double[] measureJson(Method json, byte[][] docs) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long n = 0, end = System.nanoTime() + 1_000_000_000L;
        long cpu0 = threads.getCurrentThreadCpuTime(), a0 = threads.getThreadAllocatedBytes(tid);
        do {
            for (byte[] d : docs) sink += ((String) json.invoke(null, (Object) d)).length();
            n += docs.length;
        } while (System.nanoTime() < end);
        return new double[]{(threads.getCurrentThreadCpuTime() - cpu0) / (double) n, (threads.getThreadAllocatedBytes(tid) - a0) / (double) n};
    }

    /** A small object of three members, keys "k", "s", "v" (sorted as MySQL stores them): int16 k, string "abc", int16 v. */
    static byte[] jsonDocument(int k, int v) {
        // count, size, 3 key entries (offset, length), 3 value entries (type, inline value or offset): 4 + 12 + 9 = 25 bytes
        byte[] b = new byte[1 + 25 + 3 + 4];
        int p = 0;
        b[p++] = 0x00; // small object
        b[p++] = 3; b[p++] = 0; b[p++] = 32; b[p++] = 0;
        for (int i = 0; i < 3; i++) { b[p++] = (byte) (25 + i); b[p++] = 0; b[p++] = 1; b[p++] = 0; }
        b[p++] = 0x05; b[p++] = (byte) k; b[p++] = (byte) (k >> 8);
        b[p++] = 0x0c; b[p++] = 28; b[p++] = 0;
        b[p++] = 0x05; b[p++] = (byte) v; b[p++] = (byte) (v >> 8);
        b[p++] = 'k'; b[p++] = 's'; b[p++] = 'v';
        b[p++] = 3; b[p++] = 'a'; b[p++] = 'b'; b[p++] = 'c';
        return b;
    }

    static void replay(EventDeserializer deserializer, byte[] packets) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(new BufferedSocketInputStream(new java.io.ByteArrayInputStream(packets)));
        while (in.peek() != -1) {
            in.readInteger(3);
            in.skip(1);
            int marker = in.read();
            if (marker != 0) throw new IOException("marker " + marker);
            Event event = deserializer.nextEvent(in);
            if (event.getData() instanceof EventDeserializer.EventDataWrapper w) event = new Event(event.getHeader(), w.getExternal());
            sink += event.getHeader().getEventType().ordinal();
        }
    }

    static double[] measure(EventDeserializer d, byte[] packets, long rowsPerPass, int seconds) throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long changes = 0, end = System.nanoTime() + seconds * 1_000_000_000L;
        long cpu0 = threads.getCurrentThreadCpuTime(), a0 = threads.getThreadAllocatedBytes(tid);
        do { replay(d, packets); changes += rowsPerPass; } while (System.nanoTime() < end);
        return new double[]{(threads.getCurrentThreadCpuTime() - cpu0) / (double) changes, (threads.getThreadAllocatedBytes(tid) - a0) / (double) changes};
    }

    static EventDeserializer deserializer(ClassLoader loader) throws Exception {
        Class<?> otc = Class.forName("io.sluice.source.mysql.value.OldTemporalColumns", true, loader);
        var create = Class.forName("io.sluice.source.mysql.binlog.BinlogEventDeserializers", true, loader).getDeclaredMethod("create", otc);
        create.setAccessible(true);
        return (EventDeserializer) create.invoke(null, otc.getDeclaredConstructor().newInstance());
    }

    /** The events as the server sends them: 3-byte length, sequence, OK marker 0x00, the event. */
    static byte[] packets(List<byte[]> events) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int seq = 1;
        for (byte[] e : events) {
            int length = e.length + 1;
            if (length >= MAX_PACKET) throw new IllegalStateException("no events of 16 MB in this recording");
            out.write(length & 0xFF);
            out.write(length >>> 8 & 0xFF);
            out.write(length >>> 16 & 0xFF);
            out.write(seq++ & 0xFF);
            out.write(0);
            out.write(e, 0, e.length);
        }
        return out.toByteArray();
    }

    static int le(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
