package io.sluice.source.mysql.tls;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.network.AuthenticationException;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import io.sluice.core.config.JobConfig;
import io.sluice.core.config.JobConfig.SslMode;
import io.sluice.core.error.SluiceException;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS to the source ({@code source.ssl}), one policy for the binlog connection and every JDBC
 * connection: the same mode, CA and client certificate, read from PEM files with the JDK alone.
 * The binlog client gets an in-memory {@link SSLContext}; Connector/J only takes key stores by URL,
 * so it gets PKCS#12 copies in owner-only temporary files (deleted at exit).
 */
public final class SourceTls {

    private static final Logger log = LoggerFactory.getLogger(SourceTls.class);
    /** One per job's source settings: the JDBC connections and the binlog connection share key stores and a fallback. */
    private static final Map<JobConfig.Source, SourceTls> BY_SOURCE = Collections.synchronizedMap(new WeakHashMap<>());

    // copies, not the Source: a value of the weak map must not hold its key
    private final String host;
    private final int port;
    private final String user;
    private final JobConfig.Ssl ssl;
    private SSLContext context;
    private Properties jdbcStores;
    /** Why a preferred connection went on unencrypted after a failed TLS handshake; null while TLS works. */
    private volatile String plainBecause;

    private SourceTls(JobConfig.Source source) {
        this.host = source.host;
        this.port = source.port;
        this.user = source.user;
        this.ssl = source.ssl == null ? new JobConfig.Ssl() : source.ssl;
    }

    public static SourceTls of(JobConfig.Source source) {
        return BY_SOURCE.computeIfAbsent(source, SourceTls::new);
    }

    public SslMode mode() { return ssl.mode; }

    /**
     * preferred means "TLS where it works", as in the MySQL clients, whose preferred already accepts any
     * certificate: when the handshake fails (typically a yaSSL server with TLS 1.1 only, which Java 17
     * refuses), this and every later connection of the job go on unencrypted, with a warning, instead of
     * stopping a job that ran unencrypted before. Returns whether the caller should connect again.
     */
    public boolean fallBackToPlain(Throwable e) {
        if (ssl.mode != SslMode.PREFERRED || plainBecause != null || !handshakeFailed(e)) return false;
        String version = ServerGreeting.version(host, port, 5_000);
        plainBecause = ServerGreeting.yaSslEra(version)
                ? "MySQL " + version + " offers TLS 1.0/1.1 only, which Java 17 refuses"
                : "the TLS handshake failed: " + rootMessage(e);
        log.warn("source {}:{} is read unencrypted: {}; source.ssl.mode preferred goes on without TLS "
                + "(set source.ssl.mode: disabled to skip the attempt, or required to stop instead)", host, port, plainBecause);
        return true;
    }

    /** Why the connections are unencrypted although preferred asked for TLS; null if they are not. */
    public String plainBecause() { return plainBecause; }

    private SslMode effectiveMode() {
        return plainBecause != null ? SslMode.DISABLED : ssl.mode;
    }

    /** Sets the binlog client's TLS; reads the PEM files now, so a bad one stops the job before it connects. */
    public void configure(BinaryLogClient client) {
        if (effectiveMode() == SslMode.DISABLED) {
            client.setSSLMode(SSLMode.DISABLED);
            return;
        }
        SSLContext ctx = context();
        // verifyIdentity: our socket checks the name in the handshake against source.host, as written;
        // the library's own check would compare against a reverse DNS lookup of the address instead
        client.setSSLMode(switch (ssl.mode) {
            case PREFERRED -> SSLMode.PREFERRED;
            case REQUIRED -> SSLMode.REQUIRED;
            default -> SSLMode.VERIFY_CA;
        });
        client.setSslSocketFactory(plain -> upgrade(ctx, plain));
    }

    private SSLSocket upgrade(SSLContext ctx, Socket plain) throws SocketException {
        try {
            SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
            if (ssl.mode == SslMode.VERIFY_IDENTITY) {
                SSLParameters p = socket.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(p);
            }
            return socket;
        } catch (IOException e) {
            SocketException se = new SocketException("cannot start TLS: " + e.getMessage());
            se.initCause(e);
            throw se;
        }
    }

    /** Connector/J's TLS properties for the same policy. */
    public void addJdbcProperties(Properties p) {
        p.setProperty("sslMode", effectiveMode().name());
        if (effectiveMode() == SslMode.DISABLED) return;
        p.putAll(jdbcStores());
    }

    private synchronized Properties jdbcStores() {
        if (jdbcStores != null) return jdbcStores;
        Properties p = new Properties();
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        if (ssl.ca != null) {
            KeyStore trust = trustStore();
            p.setProperty("trustCertificateKeyStoreUrl", write(trust, password, "source.ssl.ca"));
            p.setProperty("trustCertificateKeyStoreType", "PKCS12");
            p.setProperty("trustCertificateKeyStorePassword", password);
            p.setProperty("fallbackToSystemTrustStore", "false"); // only source.ssl.ca counts, as on the binlog connection
        }
        if (ssl.cert != null) {
            p.setProperty("clientCertificateKeyStoreUrl", write(keyStore(password), password, "source.ssl.cert"));
            p.setProperty("clientCertificateKeyStoreType", "PKCS12");
            p.setProperty("clientCertificateKeyStorePassword", password);
            p.setProperty("fallbackToSystemKeyStore", "false");
        }
        jdbcStores = p;
        return p;
    }

    private synchronized SSLContext context() {
        if (context != null) return context;
        try {
            KeyManagerFactory keys = null;
            if (ssl.cert != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(keyStore("in-memory"), "in-memory".toCharArray());
            }
            TrustManager[] trust;
            if (!ssl.mode.verifies()) {
                trust = new TrustManager[] {new AnyCertificate()}; // preferred/required: encrypted, not verified (as MySQL's clients)
            } else {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ssl.ca == null ? null : trustStore()); // no CA given: the JVM's trusted CAs
                trust = tmf.getTrustManagers();
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keys == null ? null : keys.getKeyManagers(), trust, null);
            context = ctx;
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new SluiceException("cannot set up TLS to the source: " + e.getMessage(), "check source.ssl.ca, source.ssl.cert and source.ssl.key", e);
        }
    }

    private KeyStore trustStore() {
        KeyStore store = emptyStore();
        List<X509Certificate> cas = PemFiles.certificates("source.ssl.ca", ssl.ca);
        try {
            for (int i = 0; i < cas.size(); i++) store.setCertificateEntry("ca-" + i, cas.get(i));
        } catch (GeneralSecurityException e) {
            throw new SluiceException("cannot use source.ssl.ca " + ssl.ca + ": " + e.getMessage(), "give the CA certificate(s) in PEM", e);
        }
        return store;
    }

    private KeyStore keyStore(String password) {
        KeyStore store = emptyStore();
        List<X509Certificate> chain = PemFiles.certificates("source.ssl.cert", ssl.cert);
        PrivateKey key = PemFiles.privateKey("source.ssl.key", ssl.key);
        try {
            store.setKeyEntry("client", key, password.toCharArray(), chain.toArray(new X509Certificate[0]));
        } catch (GeneralSecurityException e) {
            throw new SluiceException("source.ssl.key " + ssl.key + " does not fit source.ssl.cert " + ssl.cert + ": " + e.getMessage(),
                    "give the key of that certificate (openssl x509 -noout -modulus and openssl rsa -noout -modulus must agree)", e);
        }
        return store;
    }

    private static KeyStore emptyStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK has no PKCS12 key store", e);
        }
    }

    private static String write(KeyStore store, String password, String key) {
        try {
            Path file = Files.createTempFile("sluice-tls-", ".p12", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return file.toUri().toString();
        } catch (IOException | GeneralSecurityException | UnsupportedOperationException e) {
            throw new SluiceException("cannot write the key store for " + key + " to the temporary directory: " + e.getMessage(),
                    "give Sluice a writable java.io.tmpdir (JAVA_OPTS=-Djava.io.tmpdir=...)", e);
        }
    }

    /**
     * The error a user can act on when {@code e} (from JDBC or the binlog client) is a TLS problem,
     * or an account refused while TLS is off; null for anything else.
     */
    public SluiceException translate(Throwable e) {
        String where = host + ":" + port;
        String all = messages(e).toLowerCase(Locale.ROOT);
        String mode = "source.ssl.mode " + modeName();
        if (effectiveMode() == SslMode.DISABLED && (e instanceof AuthenticationException
                || (e instanceof SQLException sql && sql.getErrorCode() == 1045))) {
            String off = plainBecause == null ? mode : "TLS is off (" + plainBecause + ")";
            return new SluiceException("MySQL at " + where + " rejected user '" + user + "' (access denied) and " + off
                    + ": an account that REQUIRE SSL is refused without TLS",
                    "set source.ssl.mode: required (or verifyCa/verifyIdentity), or check source.user and source.password", e);
        }
        if (all.contains("does not support ssl") || all.contains("ssl connection required, but not provided by server")) {
            return new SluiceException("MySQL at " + where + " offers no TLS (have_ssl is not YES) but " + mode + " requires it",
                    "enable TLS on the server (ssl_ca, ssl_cert, ssl_key in my.cnf, or MySQL 8's generated certificates), or set source.ssl.mode: preferred", e);
        }
        boolean protocol = all.contains("no appropriate protocol") || all.contains("protocol_version") || all.contains("tls version negotiation")
                || all.contains("protocol is disabled");
        String version = null;
        if (!protocol && handshakeFailed(e) && !all.contains("certificate")) {
            // yaSSL servers just hang up on a TLS 1.2 hello: their greeting's version tells
            version = ServerGreeting.version(host, port, 5_000);
            protocol = ServerGreeting.yaSslEra(version);
        }
        if (protocol) {
            return new SluiceException("MySQL " + (version == null ? "" : version + " ") + "at " + where
                    + " offers only TLS 1.0/1.1 (a yaSSL build: community MySQL before 5.7.28), which Java 17 refuses (" + mode + ")",
                    "use a server with TLS 1.2 (MySQL 5.7.28+, 8.x, or an OpenSSL build of 5.7), or set source.ssl.mode: preferred"
                            + " or disabled to read it unencrypted (Connector/J 8.0.28+ has no TLS 1.1 at all)", e);
        }
        if (all.contains("identity verification failed") || all.contains("no subject alternative") || all.contains("no name matching")) {
            return new SluiceException("the TLS certificate of MySQL at " + where + " does not name host '" + host + "' (" + mode + ")",
                    "set source.host to a name the server's certificate lists (its subjectAltName or CN), or use source.ssl.mode: verifyCa", e);
        }
        if (all.contains("pkix") || all.contains("certification path") || all.contains("certpath") || all.contains("trust anchor")) {
            String ca = ssl.ca == null ? "the JVM's trusted CAs (source.ssl.ca is not set)" : "source.ssl.ca " + ssl.ca;
            return new SluiceException("the TLS certificate of MySQL at " + where + " is not signed by " + ca + " (" + mode + ")",
                    "set source.ssl.ca to the CA certificate that signed the server's (the file the server's ssl_ca names)", e);
        }
        if (all.contains("certificate_unknown") || all.contains("bad_certificate") || all.contains("unknown_ca")) {
            return new SluiceException("MySQL at " + where + " rejected Sluice's client certificate source.ssl.cert " + ssl.cert,
                    "use a client certificate signed by the CA the server trusts (its ssl_ca)", e);
        }
        if (handshakeFailed(e)) {
            return new SluiceException("TLS with MySQL at " + where + " failed (" + mode + "): " + rootMessage(e),
                    "check source.ssl and the server's ssl_* variables (SHOW VARIABLES LIKE '%ssl%')", e);
        }
        return null;
    }

    private String modeName() {
        return switch (ssl.mode) {
            case DISABLED -> "disabled";
            case PREFERRED -> "preferred";
            case REQUIRED -> "required";
            case VERIFY_CA -> "verifyCa";
            case VERIFY_IDENTITY -> "verifyIdentity";
        };
    }

    /** The protocol and cipher of a JDBC connection, e.g. "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256"; null when it is not encrypted. */
    public static String encryption(Connection c) throws SQLException {
        String version = null;
        String cipher = null;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')")) {
            while (rs.next()) {
                if (rs.getString(1).equalsIgnoreCase("Ssl_version")) version = rs.getString(2);
                else cipher = rs.getString(2);
            }
        }
        return cipher == null || cipher.isEmpty() ? null : (version == null ? "" : version + " ") + cipher;
    }

    /**
     * Whether TLS failed while setting up the connection. Only that: a TLS connection that breaks
     * later (reset, broken pipe) is a network failure the job reconnects after, not a setting to fix.
     */
    private static boolean handshakeFailed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLHandshakeException || t instanceof java.security.cert.CertificateException) return true;
        }
        return false;
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            sb.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /** preferred and required: encryption without verification, as the MySQL clients' modes of those names. */
    private static final class AnyCertificate extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
