package io.sluice.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made with the openssl CLI (installed with the MySQL servers by
 * scripts/lib/mysql.sh): a CA, a server certificate it signs for a given name, a client certificate
 * with an RSA PKCS#1 key ("BEGIN RSA PRIVATE KEY", as openssl genrsa and mysql_ssl_rsa_setup write).
 */
public final class TestCertificates {

    private final Path dir;

    public TestCertificates(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public Path dir() { return dir; }

    public Path file(String name) { return dir.resolve(name); }

    /** {@code name}.pem and {@code name}-key.pem: a self-signed CA. */
    public TestCertificates ca(String name) throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "30", "-subj", "/CN=" + name,
                "-keyout", name + "-key.pem", "-out", name + ".pem");
        return this;
    }

    /** {@code name}.pem signed by {@code ca}, with subjectAltName {@code san} (e.g. DNS:localhost); its key PKCS#8 or PKCS#1. */
    public TestCertificates signed(String name, String ca, String cn, String san, boolean pkcs1Key) throws IOException, InterruptedException {
        if (pkcs1Key) openssl("genrsa", "-traditional", "-out", name + "-key.pem", "2048");
        else openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", name + "-key.pem");
        openssl("req", "-new", "-key", name + "-key.pem", "-subj", "/CN=" + cn, "-out", name + ".csr");
        List<String> args = new ArrayList<>(List.of("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + "-key.pem",
                "-CAcreateserial", "-sha256", "-days", "30", "-out", name + ".pem"));
        if (san != null) {
            Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + san + "\n");
            args.addAll(List.of("-extfile", name + ".ext"));
        }
        openssl(args.toArray(new String[0]));
        return this;
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("the TLS tests need the openssl CLI (scripts/servers.sh up installs it)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
}
