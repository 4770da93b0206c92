package io.sluice.engine.job;

import io.sluice.core.model.BinlogOffset;
import io.sluice.source.mysql.binlog.BinlogReader;
import io.sluice.source.mysql.ServerInfo;
import io.sluice.source.mysql.SourceConnection;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The source's binlog end (SHOW MASTER STATUS) every few seconds, on a connection of its own kept
 * open between polls: what the status shows the checkpoint against. A failed poll keeps the last
 * end (with its time) and reconnects at the next one; it never affects the job.
 */
final class SourceEndPoller implements AutoCloseable {

    static final long INTERVAL_MS = 5_000;

    /** The binlog end the source reported at {@code atMs} (epoch ms). */
    public record SourceEnd(BinlogOffset offset, long atMs) {}

    private final SourceConnection source;
    private final ServerInfo server;
    private final Thread thread;
    private volatile SourceEnd last;
    private volatile boolean closed;
    private Connection connection;

    SourceEndPoller(SourceConnection source, ServerInfo server) {
        this.source = source;
        this.server = server;
        thread = new Thread(this::loop, "sluice-source-end");
        thread.setDaemon(true);
        thread.start();
    }

    /** The last binlog end read, or null before the first. */
    SourceEnd last() { return last; }

    private void loop() {
        while (!closed) {
            poll();
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                break;
            }
        }
        dropConnection();
    }

    private void poll() {
        try {
            if (connection == null) connection = source.open();
            last = new SourceEnd(BinlogReader.currentOffset(connection, server), System.currentTimeMillis());
        } catch (SQLException | RuntimeException e) {
            dropConnection(); // the job itself reports source outages; here the next poll reconnects
        }
    }

    private void dropConnection() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already broken
        }
        connection = null;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
