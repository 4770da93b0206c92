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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * source.ssl against a MySQL 8.0 of the test's own (the shared servers keep their settings), whose
 * certificate is signed by a test CA for the name "localhost" only. Accounts: {@code tls} REQUIRE SSL,
 * {@code x509} REQUIRE X509 (a client certificate signed by the same CA, its key RSA PKCS#1).
 */
class SourceTlsIT {

    @TempDir static Path dir;
    private static PrivateMySql mysql;
    private static TestCertificates certs;

    @BeforeAll
    static void startServerWithTls() throws Exception {
        certs = new TestCertificates(dir.resolve("certs"))
                .ca("ca").ca("other-ca")
                .signed("server", "ca", "localhost", "DNS:localhost", false)
                .signed("client", "ca", "sluice-client", null, true);
        assertTrue(Files.readString(certs.file("client-key.pem")).contains("BEGIN RSA PRIVATE KEY"), "the client key is PKCS#1");
        mysql = PrivateMySql.start("mysql80", dir.resolve("mysql"),
                "ssl_ca=" + certs.file("ca.pem"), "ssl_cert=" + certs.file("server.pem"), "ssl_key=" + certs.file("server-key.pem"));
        mysql.exec(
                "CREATE USER 'tls'@'%' IDENTIFIED BY 'tls' REQUIRE SSL",
                "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'tls'@'%'",
                "CREATE USER 'x509'@'%' IDENTIFIED BY 'x509' REQUIRE X509",
                "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'x509'@'%'",
                "CREATE DATABASE it_tls",
                "CREATE TABLE it_tls.t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO it_tls.t VALUES (1, 'before')");
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (mysql != null) mysql.close();
    }

    private static String job(String name, String host, String user, String ssl) {
        return """
                name: %s
                source:
                  name: tls-db
                  host: %s
                  port: %d
                  user: %s
                  password: %s
                  serverId: 7901
                  ssl: %s
                target:
                  bootstrapServers: %s
                  topic: %s
                objects:
                  include: [it_tls.t]
                state:
                  dir: %s
                """.formatted(name, host, mysql.port(), user, user, ssl, Servers.kafkaBootstrap(), name, dir.resolve("state-" + name));
    }

    private static String name(String what) {
        return "it-tls-" + what + "-" + System.nanoTime();
    }

    /** Initialization (JDBC) and streaming (binlog) both through TLS: the account refuses anything else. */
    private static void initializesAndStreams(String yaml, String topic, int id) throws Exception {
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic);
             RunningJob job = RunningJob.start(yaml)) {
            mysql.exec("INSERT INTO it_tls.t VALUES (" + id + ", 'streamed')");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            List<String> ops = List.of();
            while (!ops.contains("INSERT") && System.nanoTime() < deadline) {
                out.pollOnce(Duration.ofMillis(500));
                ops = out.await(0, Duration.ZERO).stream().map(r -> String.valueOf(r.get("operation"))).toList();
            }
            assertTrue(ops.contains("INIT") && ops.contains("INSERT"), ops.toString());
        }
    }

    @Test
    void requiredEncryptsTheBinlogAndEveryJdbcConnection() throws Exception {
        String topic = name("required");
        initializesAndStreams(job(topic, "127.0.0.1", "tls", "{mode: required}"), topic, 101);
    }

    @Test
    void verifyIdentityWithAClientCertificateFromPkcs1Pem() throws Exception {
        String topic = name("identity");
        String ssl = "{mode: verifyIdentity, ca: %s, cert: %s, key: %s}".formatted(
                certs.file("ca.pem"), certs.file("client.pem"), certs.file("client-key.pem"));
        initializesAndStreams(job(topic, "localhost", "x509", ssl), topic, 102);
    }

    @Test
    void checkShowsTheConnectionIsEncrypted() throws Exception {
        Path file = dir.resolve("check.yaml");
        Files.writeString(file, job(name("check"), "127.0.0.1", "tls", "{mode: verifyCa, ca: " + certs.file("ca.pem") + "}"));
        SluiceProcess.Result r = SluiceProcess.exec(120, "check", "--config", file.toString());
        assertTrue(r.stdout().lines().anyMatch(l -> l.startsWith("PASS  encryption") && l.contains("TLSv1.2") && l.contains("verified")), r.all());
    }

    @Test
    void disabledAgainstAnAccountThatRequiresSsl() throws Exception {
        String line = failsWithOneLine(job(name("disabled"), "127.0.0.1", "tls", "{mode: disabled}"));
        assertTrue(line.contains("rejected user 'tls'") && line.contains("source.ssl.mode disabled")
                && line.contains("Fix: set source.ssl.mode: required"), line);
    }

    @Test
    void verifyCaRejectsACertificateFromAnotherCa() throws Exception {
        String line = failsWithOneLine(job(name("otherca"), "127.0.0.1", "tls", "{mode: verifyCa, ca: " + certs.file("other-ca.pem") + "}"));
        assertTrue(line.contains("is not signed by source.ssl.ca " + certs.file("other-ca.pem")), line);
        assertTrue(line.contains("Fix: set source.ssl.ca to the CA certificate"), line);
    }

    @Test
    void verifyIdentityChecksTheHostName() throws Exception {
        // the certificate names localhost; 127.0.0.1 passes verifyCa but is not its name
        String line = failsWithOneLine(job(name("host"), "127.0.0.1", "tls", "{mode: verifyIdentity, ca: " + certs.file("ca.pem") + "}"));
        assertTrue(line.contains("does not name host '127.0.0.1'") && line.contains("verifyIdentity"), line);
    }

    @Test
    void aKeyThatIsNotPemIsNamedWithTheConversion() throws Exception {
        Path bad = dir.resolve("not-a-key.pem");
        Files.writeString(bad, "garbage\n");
        String line = failsWithOneLine(job(name("badkey"), "127.0.0.1", "x509",
                "{mode: required, cert: %s, key: %s}".formatted(certs.file("client.pem"), bad)));
        assertTrue(line.contains("source.ssl.key " + bad) && line.contains("openssl pkcs8 -topk8 -nocrypt"), line);
    }

    /** {@code sluice run} stops at once: exit code 2, one "sluice: ... Fix: ..." line, no stack trace. */
    private static String failsWithOneLine(String yaml) throws Exception {
        Path file = Files.createTempFile(dir, "job", ".yaml");
        Files.writeString(file, yaml);
        SluiceProcess.Result r = SluiceProcess.exec(120, "run", "--config", file.toString());
        String all = r.all();
        assertEquals(2, r.exitCode(), all);
        List<String> lines = r.stderr().lines().filter(l -> l.startsWith("sluice: ")).toList();
        assertEquals(1, lines.size(), all);
        assertTrue(lines.get(0).contains(" Fix: "), all);
        assertFalse(all.contains("\tat ") || all.contains("at io.") || all.contains("at org."), all);
        return lines.get(0);
    }
}
