package io.sluice.it.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A mixed workload against {@code <db>.acct (id INT PRIMARY KEY, v INT)} that keeps the source's own
 * record of what it committed: each committed transaction's changes, in commit order. Every
 * statement changes exactly one row (or, for the large transaction, rows in VALUES order), so the
 * binlog order of the changes is known exactly.
 */
public final class Workload implements Runnable {

    /** One row change: op, row id, v before (or null), v after (or null). */
    public record Change(String op, int id, Integer before, Integer after) {}

    private final MySqlServer server;
    private final String table;
    private final Random random;
    private final Map<Integer, Integer> versions = new HashMap<>();
    private final List<List<Change>> committed = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean largePending = new AtomicBoolean();
    private final int largeRows;
    private final long pauseMicros;
    private int nextId = 1;
    private volatile Throwable failure;

    public Workload(MySqlServer server, String table, long seed, int largeRows, long pauseMicros) {
        this.server = server;
        this.table = table;
        this.random = new Random(seed);
        this.largeRows = largeRows;
        this.pauseMicros = pauseMicros;
    }

    /** Runs one large transaction next. */
    public void requestLargeTransaction() { largePending.set(true); }

    public void stop() { stop.set(true); }

    public Throwable failure() { return failure; }

    public synchronized List<List<Change>> committed() { return List.copyOf(committed); }

    public synchronized Map<Integer, Integer> expectedRows() { return Map.copyOf(versions); }

    @Override
    public void run() {
        try (Connection c = server.root(); Statement s = c.createStatement()) {
            while (!stop.get()) {
                List<Change> tx = new ArrayList<>();
                Map<Integer, Integer> overlay = new HashMap<>(); // this transaction's changes; DELETED marks a delete
                if (largePending.getAndSet(false)) {
                    c.setAutoCommit(false);
                    StringBuilder sql = new StringBuilder("INSERT INTO " + table + " (id, v) VALUES ");
                    for (int i = 0; i < largeRows; i++) {
                        int id = nextId++;
                        sql.append(i == 0 ? "" : ",").append('(').append(id).append(",1)");
                        tx.add(new Change("INSERT", id, null, 1));
                        overlay.put(id, 1);
                    }
                    s.executeUpdate(sql.toString());
                    c.commit();
                    c.setAutoCommit(true);
                } else if (random.nextInt(10) < 4) { // single-row autocommit insert
                    insert(s, tx, overlay);
                } else { // a multi-statement transaction, sometimes rolled back
                    c.setAutoCommit(false);
                    int statements = 2 + random.nextInt(6);
                    for (int k = 0; k < statements; k++) {
                        int op = random.nextInt(3);
                        Integer id = op == 0 ? null : pickLive(overlay);
                        if (id == null) {
                            insert(s, tx, overlay);
                        } else {
                            int v = current(id, overlay);
                            if (op == 1) {
                                s.executeUpdate("UPDATE " + table + " SET v = " + (v + 1) + " WHERE id = " + id);
                                tx.add(new Change("UPDATE", id, v, v + 1));
                                overlay.put(id, v + 1);
                            } else {
                                s.executeUpdate("DELETE FROM " + table + " WHERE id = " + id);
                                tx.add(new Change("DELETE", id, v, null));
                                overlay.put(id, DELETED);
                            }
                        }
                    }
                    if (random.nextInt(10) == 0) {
                        c.rollback();
                        tx.clear();
                        overlay.clear();
                    } else {
                        c.commit();
                    }
                    c.setAutoCommit(true);
                }
                synchronized (this) {
                    if (!tx.isEmpty()) committed.add(tx);
                    overlay.forEach((id, v) -> {
                        if (v == DELETED) versions.remove(id);
                        else versions.put(id, v);
                    });
                }
                if (pauseMicros > 0) Thread.sleep(pauseMicros / 1000, (int) (pauseMicros % 1000) * 1000);
            }
        } catch (SQLException | InterruptedException | RuntimeException e) {
            failure = e;
        }
    }

    private static final int DELETED = Integer.MIN_VALUE;

    private void insert(Statement s, List<Change> tx, Map<Integer, Integer> overlay) throws SQLException {
        int id = nextId++;
        s.executeUpdate("INSERT INTO " + table + " (id, v) VALUES (" + id + ",1)");
        tx.add(new Change("INSERT", id, null, 1));
        overlay.put(id, 1);
    }

    private int current(int id, Map<Integer, Integer> overlay) {
        Integer v = overlay.get(id);
        return v != null ? v : versions.get(id);
    }

    /** A random existing row among the most recent ids, or null. */
    private Integer pickLive(Map<Integer, Integer> overlay) {
        for (int attempt = 0; attempt < 8; attempt++) {
            int id = Math.max(1, nextId - 1 - random.nextInt(2000));
            Integer v = overlay.containsKey(id) ? overlay.get(id) : versions.get(id);
            if (v != null && v != DELETED) return id;
        }
        return null;
    }
}
