package io.sluice.source.mysql.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server version a MySQL server announces before any login or TLS, for naming why a TLS
 * handshake failed: community MySQL builds before 5.6.46 and 5.7.28 use yaSSL, which speaks TLS 1.0
 * and 1.1 only, and Java 17 and Connector/J 8.0.28+ refuse both.
 */
final class ServerGreeting {

    private static final Pattern VERSION = Pattern.compile("^(\\d+)\\.(\\d+)\\.(\\d+)");

    private ServerGreeting() {}

    /** The version string of the server's handshake packet, or null if it cannot be read. */
    static String version(String host, int port, int timeoutMs) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            InputStream in = s.getInputStream();
            byte[] header = in.readNBytes(4);
            if (header.length < 4) return null;
            int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
            byte[] body = in.readNBytes(Math.min(length, 256));
            if (body.length < 2 || body[0] != 10) return null; // protocol version 10
            int end = 1;
            while (end < body.length && body[end] != 0) end++;
            return new String(body, 1, end - 1, StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether a MySQL (not MariaDB) community build of this version speaks TLS 1.1 at most. */
    static boolean yaSslEra(String version) {
        if (version == null || version.contains("MariaDB")) return false;
        Matcher m = VERSION.matcher(version);
        if (!m.find()) return false;
        int major = Integer.parseInt(m.group(1)), minor = Integer.parseInt(m.group(2)), patch = Integer.parseInt(m.group(3));
        if (major != 5) return false;
        return minor < 6 || (minor == 6 && patch < 46) || (minor == 7 && patch < 28);
    }
}
