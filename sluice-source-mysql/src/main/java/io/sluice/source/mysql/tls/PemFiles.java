package io.sluice.source.mysql.tls;

import io.sluice.core.error.SluiceException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files MySQL's own tools write (certificates; PKCS#8 and RSA PKCS#1 keys) with the JDK
 * alone. Each problem is one error naming the job-file key, the file and the openssl command that fixes it.
 */
final class PemFiles {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption, 1.2.840.113549.1.1.1, with its NULL parameters: the AlgorithmIdentifier of a PKCS#8 RSA key. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemFiles() {}

    static List<X509Certificate> certificates(String key, String file) {
        byte[] bytes = read(key, file);
        try {
            List<X509Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes)).stream().map(c -> (X509Certificate) c).toList();
            if (certs.isEmpty()) throw new GeneralSecurityException("no certificate in it");
            return certs;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SluiceException(key + " " + file + " is not a PEM certificate file: " + e.getMessage(),
                    "point " + key + " at a file holding -----BEGIN CERTIFICATE----- blocks (openssl x509 -in " + file + " -out cert.pem converts DER)", e);
        }
    }

    static PrivateKey privateKey(String key, String file) {
        String text = new String(read(key, file), StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) continue;
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).trim());
            } catch (IllegalArgumentException e) {
                throw unreadable(key, file, "its base64 is damaged", e);
            }
            return switch (type) {
                case "PRIVATE KEY" -> pkcs8(key, file, der);
                case "RSA PRIVATE KEY" -> {
                    if (m.group(2).contains("ENCRYPTED")) throw encrypted(key, file);
                    yield pkcs8(key, file, rsaPkcs1ToPkcs8(der));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw encrypted(key, file);
                default -> throw new SluiceException(key + " " + file + " holds a " + type + ", which Sluice does not read",
                        "convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key-pkcs8.pem");
            };
        }
        if (text.contains("Proc-Type: 4,ENCRYPTED")) throw encrypted(key, file);
        throw unreadable(key, file, "it holds no -----BEGIN PRIVATE KEY----- block", null);
    }

    private static PrivateKey pkcs8(String key, String file, byte[] der) {
        for (String algorithm : List.of("RSA", "EC", "EdDSA", "DSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisAlgorithm) {
                // try the next
            }
        }
        throw unreadable(key, file, "not an RSA, EC, EdDSA or DSA key", null);
    }

    /** PKCS#8 PrivateKeyInfo around an RSA PKCS#1 key: SEQUENCE { INTEGER 0, rsaEncryption, OCTET STRING pkcs1 }. */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) return new byte[] {(byte) length};
        if (length < 0x100) return new byte[] {(byte) 0x81, (byte) length};
        if (length < 0x10000) return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
        return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }

    private static SluiceException encrypted(String key, String file) {
        return new SluiceException(key + " " + file + " is encrypted with a passphrase, which Sluice cannot be given",
                "write it unencrypted, readable by the Sluice user only: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key-pkcs8.pem");
    }

    private static SluiceException unreadable(String key, String file, String why, Exception cause) {
        return new SluiceException(key + " " + file + " is not a readable private key: " + why,
                "give an unencrypted PEM key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY); openssl pkcs8 -topk8 -nocrypt -in "
                        + file + " -out key-pkcs8.pem converts others", cause);
    }

    private static byte[] read(String key, String file) {
        try {
            return Files.readAllBytes(Path.of(file));
        } catch (IOException | RuntimeException e) {
            throw new SluiceException("cannot read " + key + " " + file + ": " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    "point " + key + " at an existing PEM file readable by the user running Sluice", e);
        }
    }
}
