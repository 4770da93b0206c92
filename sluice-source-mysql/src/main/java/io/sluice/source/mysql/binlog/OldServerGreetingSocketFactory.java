package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.network.SocketFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;

/**
 * Sockets for the binlog client that repair the server's first packet where MySQL 5.5.9 and older
 * 5.5 releases wrote it short: the greeting ends with the auth plugin name
 * ({@code mysql_native_password}) without its closing zero byte, and the client, which reads it as
 * a zero-terminated string, fails with "Failed to read next byte". The greeting is the first packet
 * of the connection and is read before TLS starts; when its last byte is not zero, one is appended
 * (and the packet length raised by one). Newer servers' greetings end with it and pass unchanged.
 * Through the client's SocketFactory extension point, so the client itself is not patched.
 */
final class OldServerGreetingSocketFactory implements SocketFactory {

    @Override
    public Socket createSocket() throws SocketException {
        return new Socket() {
            private InputStream in;

            @Override
            public synchronized InputStream getInputStream() throws IOException {
                if (in == null) in = new GreetingRepair(super.getInputStream());
                return in;
            }
        };
    }

    /** Passes the stream through, after the first packet (read whole and repaired if needed). */
    private static final class GreetingRepair extends FilterInputStream {
        private byte[] first; // the repaired first packet, until handed out
        private int pos;

        GreetingRepair(InputStream in) {
            super(in);
        }

        private void readFirst() throws IOException {
            if (first != null) return;
            byte[] header = in.readNBytes(4);
            if (header.length < 4) { first = header; return; }
            int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
            byte[] body = in.readNBytes(length);
            // 0x0A: protocol 10 greeting (an error packet, 0xFF, passes unchanged)
            boolean unterminated = body.length == length && length > 0 && body[0] == 0x0A && body[length - 1] != 0;
            int newLength = unterminated ? length + 1 : body.length;
            first = new byte[4 + newLength];
            first[0] = (byte) newLength;
            first[1] = (byte) (newLength >>> 8);
            first[2] = (byte) (newLength >>> 16);
            first[3] = header[3];
            System.arraycopy(body, 0, first, 4, body.length); // the appended byte is already zero
        }

        @Override
        public int read() throws IOException {
            readFirst();
            if (pos < first.length) return first[pos++] & 0xFF;
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            readFirst();
            if (pos < first.length) {
                int n = Math.min(len, first.length - pos);
                System.arraycopy(first, pos, b, off, n);
                pos += n;
                return n;
            }
            return in.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return first != null && pos < first.length ? first.length - pos : in.available();
        }
    }
}
