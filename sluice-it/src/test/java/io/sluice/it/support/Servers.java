package io.sluice.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Brings up the real test servers with the project's own scripts (idempotent, once per JVM). */
public final class Servers {

    private static final Set<String> up = new HashSet<>();

    private Servers() {}

    public static Path root() {
        return Path.of(System.getProperty("sluice.root", "..")).toAbsolutePath().normalize();
    }

    public static synchronized void ensure(String... names) {
        for (String name : names) {
            if (up.contains(name)) continue;
            run("up", name);
            up.add(name);
        }
    }

    public static void run(String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "bash";
        cmd[1] = root().resolve("scripts/servers.sh").toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("scripts/servers.sh " + String.join(" ", args) + " failed:\n" + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static int port(String envName, int defaultPort) {
        String v = System.getenv(envName);
        return v == null || v.isEmpty() ? defaultPort : Integer.parseInt(v);
    }

    /** MySQL 5.7 with gtid_mode=OFF (else like mysql57): jobs on it resume by binlog file/position. */
    public static MySqlServer mysql57NoGtid() {
        ensure("mysql57nogtid");
        return new MySqlServer(Flavor.MYSQL57, "127.0.0.1", port("SLUICE_MYSQL57NOGTID_PORT", 13059));
    }

    /** mysql57r: a GTID replica of mysql57 with log_slave_updates (a cascade source). */
    public static MySqlServer mysql57Replica() {
        ensure("mysql57r");
        return new MySqlServer(Flavor.MYSQL57, "127.0.0.1", port("SLUICE_MYSQL57R_PORT", 13058));
    }

    public static String kafkaBootstrap() {
        ensure("kafka");
        return "127.0.0.1:" + port("SLUICE_KAFKA_PORT", 19092);
    }

    /** A second KRaft cluster that tests may stop and start (the shared {@code kafka} must never be stopped). */
    public static String kafka2Bootstrap() {
        ensure("kafka2");
        return "127.0.0.1:" + port("SLUICE_KAFKA2_PORT", 19192);
    }

    /** Kafka 0.10.2 on ZooKeeper: no transactions, no idempotent writes. */
    public static String kafka010Bootstrap() {
        ensure("kafka010");
        return "127.0.0.1:" + port("SLUICE_KAFKA010_PORT", 19102);
    }

    /** Kafka 0.11.0 on ZooKeeper: the first release with transactions. */
    public static String kafka011Bootstrap() {
        ensure("kafka011");
        return "127.0.0.1:" + port("SLUICE_KAFKA011_PORT", 19111);
    }
}
