package io.sluice.sink.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Tells what answers at a bootstrap address the Kafka client could not use. The client reads any
 * reply's first 4 bytes as a frame size ("HTTP" = 1.2 GB, runs out of heap) or waits forever for a
 * TLS listener, and only times out; one raw ApiVersions request shows whether the port speaks Kafka.
 */
public final class ListenerProbe {

    /** What answered. */
    public enum Answer { KAFKA, HTTP, TLS, OTHER, NOTHING }

    private static final int CORRELATION_ID = 0x51C3;

    private ListenerProbe() {
    }

    /** Sends a Kafka ApiVersions v0 request to host:port and classifies the first bytes of the reply. */
    public static Answer probe(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(apiVersionsRequest());
            out.flush();
            byte[] reply = new byte[8];
            int n = readUpTo(socket.getInputStream(), reply);
            return classify(reply, n);
        } catch (IOException | RuntimeException e) { // refused, unresolvable, no answer in time, closed
            return Answer.NOTHING;
        }
    }

    /** Where the operator sets the bootstrap address and the TLS client settings: the job file, or a command's options. */
    public record Settings(String bootstrapServers, String tlsFix) {
        /** A job's target section (sluice check, run, the connector). */
        public static final Settings JOB = new Settings("target.bootstrapServers",
                "set target.producer security.protocol: SSL (docs/configuration.md, TLS and SASL to Kafka)");
        /** sluice tail's options. */
        public static final Settings TAIL = new Settings("--bootstrap-servers",
                "pass --command-config with a properties file holding security.protocol=SSL (and the ssl.* settings)");
    }

    /** The first line of the problem/fix for an address that answers but not in Kafka's protocol, or null. */
    public static String[] explain(String address, Answer answer) {
        return explain(address, answer, Settings.JOB);
    }

    /** {problem, fix} naming the operator's settings, or null when the address answers Kafka or nothing. */
    public static String[] explain(String address, Answer answer, Settings settings) {
        String listener = settings.bootstrapServers() + " must name a broker listener (host:port of listeners/advertised.listeners, 9092 by default)";
        return switch (answer) {
            case HTTP -> new String[] {address + " answers HTTP, not the Kafka protocol", listener + ", not a REST/HTTP port"};
            case TLS -> new String[] {address + " answers TLS", settings.tlsFix()};
            case OTHER -> new String[] {address + " answers, but not in the Kafka protocol", listener};
            default -> null;
        };
    }

    /**
     * Probes each address of a bootstrap.servers list (~1 s each) and returns {problem, fix} for the
     * first one that answers in something other than Kafka, or null (then the brokers are just away).
     */
    public static String[] explainBootstrap(String bootstrapServers, int timeoutMillis) {
        return explainBootstrap(bootstrapServers, timeoutMillis, Settings.JOB);
    }

    /** {@link #explainBootstrap(String, int)} with the fix naming {@code settings}. */
    public static String[] explainBootstrap(String bootstrapServers, int timeoutMillis, Settings settings) {
        if (bootstrapServers == null) return null;
        for (String raw : bootstrapServers.split(",")) {
            String address = raw.trim();
            int colon = address.lastIndexOf(':');
            if (colon <= 0) continue;
            String host = address.substring(0, colon).replace("[", "").replace("]", "");
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            String[] explained = explain(address, probe(host, port, timeoutMillis), settings);
            if (explained != null) return explained;
        }
        return null;
    }

    static Answer classify(byte[] reply, int n) {
        if (n <= 0) return Answer.NOTHING;
        if (n >= 5 && new String(reply, 0, 5, StandardCharsets.US_ASCII).equals("HTTP/")) return Answer.HTTP;
        // TLS record header: content type alert (0x15) or handshake (0x16), then major version 3
        if (n >= 2 && (reply[0] == 0x15 || reply[0] == 0x16) && reply[1] == 0x03) return Answer.TLS;
        if (n >= 8) {
            ByteBuffer b = ByteBuffer.wrap(reply);
            int size = b.getInt();
            if (size >= 4 && size < (1 << 24) && b.getInt() == CORRELATION_ID) return Answer.KAFKA;
        }
        return Answer.OTHER;
    }

    private static int readUpTo(InputStream in, byte[] into) throws IOException {
        int n = 0;
        try {
            while (n < into.length) {
                int r = in.read(into, n, into.length - n);
                if (r < 0) break;
                n += r;
            }
        } catch (java.net.SocketTimeoutException e) {
            // fewer bytes than asked: classify what came
        }
        return n;
    }

    /** ApiVersions (key 18) v0: size, api key, api version, correlation id, client id (nullable string). */
    private static byte[] apiVersionsRequest() {
        byte[] clientId = "sluice-probe".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + 2 + 4 + 2 + clientId.length);
        b.putInt(b.capacity() - 4).putShort((short) 18).putShort((short) 0).putInt(CORRELATION_ID)
                .putShort((short) clientId.length).put(clientId);
        return b.array();
    }
}
