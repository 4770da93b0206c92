package io.sluice.it.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback proxy to a MySQL server (clients must not use TLS) that flips one byte in the body of
 * the ROTATE event the server makes up at the start of every binlog dump (COM_BINLOG_DUMP or
 * COM_BINLOG_DUMP_GTID), so that event fails its CRC32 on every read. Other connections (JDBC) and
 * every other packet pass unchanged.
 */
public final class RotateCorruptingProxy implements AutoCloseable {

    private final int targetPort;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger corrupted = new AtomicInteger();

    public RotateCorruptingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread accept = new Thread(this::acceptLoop, "rotate-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() { return server.getLocalPort(); }

    /** How many made-up ROTATE events were damaged so far (one per binlog dump). */
    public int corrupted() { return corrupted.get(); }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(upstream);
                AtomicBoolean dumping = new AtomicBoolean(); // this connection asked for a binlog dump
                start(() -> pipe(client, upstream, dumping, false));
                start(() -> pipe(upstream, client, dumping, true));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "rotate-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    /** Copies MySQL packets (3-byte length, sequence, payload) one by one, looking at the ones that matter. */
    private void pipe(Socket from, Socket to, AtomicBoolean dumping, boolean fromServer) {
        try (DataInputStream in = new DataInputStream(from.getInputStream()); OutputStream out = to.getOutputStream()) {
            boolean rotateSeen = false;
            byte[] header = new byte[4];
            while (true) {
                in.readFully(header);
                int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (!fromServer && header[3] == 0 && length > 0 && (payload[0] == 0x12 || payload[0] == 0x1e)) {
                    dumping.set(true);
                }
                // an event packet: 0x00, then the event; the made-up ROTATE has type 4 and next position 0
                if (fromServer && !rotateSeen && dumping.get() && length > 1 + 19 + 8 && payload[0] == 0 && payload[1 + 4] == 4
                        && payload[1 + 13] == 0 && payload[1 + 14] == 0 && payload[1 + 15] == 0 && payload[1 + 16] == 0) {
                    rotateSeen = true;
                    payload[1 + 19] ^= 0x01; // the rotate's position: its CRC32 no longer matches
                    corrupted.incrementAndGet();
                }
                out.write(header);
                out.write(payload);
                out.flush();
            }
        } catch (IOException e) {
            // closed by either side
        } finally {
            try { from.close(); to.close(); } catch (IOException ignored) { }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) s.close();
    }

}
