import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A/B of the binlog JSON conversion (ValueConverter.json: binary JSON to text) in ONE process: this
 * build against another build's sluice-source-mysql jar (its io.sluice.source.mysql classes loaded
 * child-first), on 1,000 documents of the bench's shape ({"k":n,"s":"abc","v":n}, as MySQL 5.7
 * stores them), in alternating one-second rounds (which goes first alternates). Both must give the
 * same text for every document. Figures: the thread's CPU ns per document of each, and their ratio.
 * Usage (after bench/micro/run.sh or binlog.sh built the jars):
 *   java -cp "sluice-app/target/sluice-app.jar:sluice-app/target/lib/*" bench/micro/JsonAbBench.java other/sluice-source-mysql.jar [rounds]
 */
public final class JsonAbBench {

    public static void main(String[] args) throws Exception {
        ClassLoader parent = JsonAbBench.class.getClassLoader();
        ClassLoader other = new URLClassLoader(new URL[] {Path.of(args[0]).toUri().toURL()}, parent) {
            @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.startsWith("io.sluice.source.mysql.")) return super.loadClass(name, resolve);
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }
        };
        Method mine = json(Class.forName("io.sluice.source.mysql.value.ValueConverter"));
        Method theirs = json(other.loadClass("io.sluice.source.mysql.value.ValueConverter"));
        byte[][] docs = new byte[1000][];
        for (int i = 0; i < docs.length; i++) docs[i] = document(i, i * 7 % 1000);
        for (byte[] d : docs) {
            if (!mine.invoke(null, (Object) d).equals(theirs.invoke(null, (Object) d))) throw new AssertionError("texts differ");
        }
        System.out.println("all " + docs.length + " documents give the same text, e.g. " + mine.invoke(null, (Object) docs[5]));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        double[] ratios = new double[rounds];
        for (int r = -3; r < rounds; r++) { // three rounds of warm-up
            double[] ns = new double[2];
            for (int k = 0; k < 2; k++) {
                boolean isMine = (r + k) % 2 == 0;
                ns[isMine ? 0 : 1] = nsPerDocument(isMine ? mine : theirs, docs);
            }
            if (r >= 0) {
                ratios[r] = ns[0] / ns[1];
                System.out.printf("round %d: this %.0f ns, other %.0f ns per document, ratio %.3f%n", r, ns[0], ns[1], ratios[r]);
            }
        }
        Arrays.sort(ratios);
        System.out.printf("median ratio this/other %.3f (min %.3f max %.3f)%n", ratios[rounds / 2], ratios[0], ratios[rounds - 1]);
    }

    private static Method json(Class<?> converter) throws NoSuchMethodException {
        Method m = converter.getDeclaredMethod("json", byte[].class);
        m.setAccessible(true);
        return m;
    }

    /** One second of conversions; the thread's CPU per document (reflection's cost is in both). */
    private static double nsPerDocument(Method json, byte[][] docs) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime(), n = 0, sink = 0, end = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (byte[] d : docs) sink += ((String) json.invoke(null, (Object) d)).length();
            n += docs.length;
        }
        if (sink == 42) System.out.print(""); // keeps the results alive
        return (double) (threads.getCurrentThreadCpuTime() - cpu) / n;
    }

    /** A small object of three members, keys "k", "s", "v" (sorted as MySQL stores them): int16 k, string "abc", int16 v. */
    private static byte[] document(int k, int v) {
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
}
