package io.sluice.it;

import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.PrivateMySql;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import io.sluice.it.support.TestCertificates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MySQL 5.7.22 as the project installs it is a yaSSL build: with certificates it speaks TLS 1.0 and
 * 1.1 only, which Java 17 (and Connector/J 8.0.28+) refuse. A private 5.7 with TLS on shows what the
 * user then gets: one line naming TLS 1.1 and the ways out.
 */
class SourceTlsMySql57IT {

    @TempDir static Path dir;
    private static PrivateMySql mysql;

    @BeforeAll
    static void startServerWithTls() throws Exception {
        TestCertificates certs = new TestCertificates(dir.resolve("certs")).ca("ca")
                .signed("server", "ca", "localhost", "DNS:localhost", true); // yaSSL reads PKCS#1 server keys
        mysql = PrivateMySql.start("mysql57", dir.resolve("mysql"),
                "ssl-ca=" + certs.file("ca.pem"), "ssl-cert=" + certs.file("server.pem"), "ssl-key=" + certs.file("server-key.pem"));
        mysql.exec(
                "CREATE USER 'tls'@'%' IDENTIFIED BY 'tls' REQUIRE SSL",
                "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'tls'@'%'",
                "CREATE USER 'plain'@'%' IDENTIFIED BY 'plain'",
                "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'plain'@'%'",
                "CREATE DATABASE it_tls57",
                "CREATE TABLE it_tls57.t (id INT PRIMARY KEY)");
        try (var c = mysql.rootOverSocketlessTcp(); var s = c.createStatement();
             var rs = s.executeQuery("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('have_ssl', 'tls_version')")) {
            while (rs.next()) System.out.println("mysql57 " + rs.getString(1) + "=" + rs.getString(2));
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (mysql != null) mysql.close();
    }

    private static SluiceProcess.Result run(String mode) throws Exception {
        return sluice("run", "tls", mode);
    }

    private static SluiceProcess.Result sluice(String command, String user, String mode) throws Exception {
        return SluiceProcess.exec(120, command, "--config", jobFile(user, mode).toString());
    }

    private static Path jobFile(String user, String mode) throws Exception {
        String name = "it-tls57-" + mode + "-" + System.nanoTime();
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                name: %s
                source:
                  name: tls57
                  host: 127.0.0.1
                  port: %d
                  user: %s
                  password: %s
                  serverId: 7911
                  ssl: {mode: %s}
                target:
                  bootstrapServers: %s
                  topic: %s
                objects:
                  include: [it_tls57.t]
                state:
                  dir: %s
                """.formatted(name, mysql.port(), user, user, mode, Servers.kafkaBootstrap(), name, dir.resolve("state")));
        return file;
    }

    @Test
    void requiredAgainstAYaSslServerNamesTls11AndTheFix() throws Exception {
        SluiceProcess.Result r = run("required");
        assertEquals(2, r.exitCode(), r.all());
        List<String> lines = r.stderr().lines().filter(l -> l.startsWith("sluice: ")).toList();
        assertEquals(1, lines.size(), r.all());
        assertTrue(lines.get(0).contains("TLS 1.0/1.1") && lines.get(0).contains("Fix: ") && lines.get(0).contains("5.7.28"), lines.get(0));
    }

    /** preferred (the default) keeps a job that ran unencrypted before running, and says why it is unencrypted. */
    @Test
    void preferredGoesOnUnencryptedAndCheckSaysWhy() throws Exception {
        SluiceProcess.Result check = sluice("check", "plain", "preferred");
        assertEquals(0, check.exitCode(), check.all());
        assertTrue(check.stdout().lines().anyMatch(l -> l.startsWith("WARN  encryption") && l.contains("5.7.22")
                && l.contains("TLS 1.0/1.1 only")), check.all());
    }

    @Test
    void preferredJobInitializesAndStreamsUnencrypted() throws Exception {
        mysql.exec("INSERT INTO it_tls57.t VALUES (1)");
        String yaml = Files.readString(jobFile("plain", "preferred"));
        String topic = yaml.lines().filter(l -> l.startsWith("  topic: ")).findFirst().orElseThrow().substring(9);
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic);
             RunningJob job = RunningJob.start(yaml)) {
            mysql.exec("INSERT INTO it_tls57.t VALUES (2)");
            List<String> ops = out.await(2, Duration.ofSeconds(60)).stream().map(r -> String.valueOf(r.get("operation"))).toList();
            assertEquals(List.of("INIT", "INSERT"), ops);
        }
    }

    /** An account that REQUIRE SSL cannot be served by such a server: the line says why TLS is off. */
    @Test
    void preferredWithAnAccountThatRequiresSsl() throws Exception {
        SluiceProcess.Result r = run("preferred");
        assertEquals(2, r.exitCode(), r.all());
        List<String> lines = r.stderr().lines().filter(l -> l.startsWith("sluice: ")).toList();
        assertEquals(1, lines.size(), r.all());
        assertTrue(lines.get(0).contains("rejected user 'tls'") && lines.get(0).contains("TLS 1.0/1.1 only"), lines.get(0));
    }

    /** The shared 5.7 has no TLS at all (have_ssl=DISABLED): check fails required, and run stops with one line. */
    @Test
    void requiredAgainstAServerWithoutTls() throws Exception {
        io.sluice.it.support.MySqlServer shared = io.sluice.it.support.Flavor.MYSQL57.start();
        shared.exec("CREATE DATABASE IF NOT EXISTS it_tls57none", "CREATE TABLE IF NOT EXISTS it_tls57none.t (id INT PRIMARY KEY)");
        String yaml = io.sluice.it.support.JobYaml.of("it-tls57none-" + System.nanoTime(), shared, "it-tls57none-" + System.nanoTime(),
                dir.resolve("state-none"), "it_tls57none.t", 7912).replace("  serverId: 7912\n", "  serverId: 7912\n  ssl: {mode: required}\n");
        Path file = dir.resolve("none.yaml");
        Files.writeString(file, yaml);
        SluiceProcess.Result check = SluiceProcess.exec(120, "check", "--config", file.toString());
        assertTrue(check.exitCode() != 0 && check.stdout().lines().anyMatch(l -> l.startsWith("FAIL  source connectivity")
                && l.contains("offers no TLS") && l.contains("source.ssl.mode required")), check.all());
        SluiceProcess.Result run = SluiceProcess.exec(120, "run", "--config", file.toString());
        assertEquals(2, run.exitCode(), run.all());
        List<String> lines = run.stderr().lines().filter(l -> l.startsWith("sluice: ")).toList();
        assertEquals(1, lines.size(), run.all());
        assertTrue(lines.get(0).contains("offers no TLS") && lines.get(0).contains("Fix: enable TLS on the server"), lines.get(0));
    }
}
