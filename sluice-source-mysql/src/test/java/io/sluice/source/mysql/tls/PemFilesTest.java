package io.sluice.source.mysql.tls;

import io.sluice.core.error.SluiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PemFilesTest {

    @TempDir Path dir;

    private Path pem(String name, String type, byte[] der) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n");
        return file;
    }

    private static PrivateKey rsaKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair().getPrivate();
    }

    /** PKCS#8 of a 2048-bit RSA key: 4 + 3 + 15 + 4 header bytes, then the PKCS#1 key. */
    private static byte[] pkcs1Of(PrivateKey key) {
        byte[] pkcs8 = key.getEncoded();
        return Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
    }

    @Test
    void readsPkcs8Keys() throws Exception {
        PrivateKey rsa = rsaKey();
        assertEquals(rsa, PemFiles.privateKey("source.ssl.key", pem("rsa8.pem", "PRIVATE KEY", rsa.getEncoded()).toString()));
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        PrivateKey ecKey = ec.generateKeyPair().getPrivate();
        assertEquals(ecKey, PemFiles.privateKey("source.ssl.key", pem("ec8.pem", "PRIVATE KEY", ecKey.getEncoded()).toString()));
    }

    @Test
    void readsRsaPkcs1KeysAsOpensslGenrsaWritesThem() throws Exception {
        PrivateKey rsa = rsaKey();
        byte[] pkcs1 = pkcs1Of(rsa);
        assertArrayEquals(rsa.getEncoded(), PemFiles.rsaPkcs1ToPkcs8(pkcs1));
        assertEquals(rsa, PemFiles.privateKey("source.ssl.key", pem("rsa1.pem", "RSA PRIVATE KEY", pkcs1).toString()));
    }

    @Test
    void otherKeyFormatsAreNamedWithTheConversion() throws Exception {
        Path sec1 = pem("ec.pem", "EC PRIVATE KEY", new byte[] {0x30, 0x00});
        SluiceException e = assertThrows(SluiceException.class, () -> PemFiles.privateKey("source.ssl.key", sec1.toString()));
        assertTrue(e.problem().contains("EC PRIVATE KEY") && e.fix().contains("openssl pkcs8 -topk8 -nocrypt -in " + sec1), e.oneLine());

        Path encrypted = pem("enc.pem", "ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0x00});
        e = assertThrows(SluiceException.class, () -> PemFiles.privateKey("source.ssl.key", encrypted.toString()));
        assertTrue(e.problem().contains("encrypted") && e.fix().contains("-nocrypt"), e.oneLine());

        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "not a key");
        e = assertThrows(SluiceException.class, () -> PemFiles.privateKey("source.ssl.key", garbage.toString()));
        assertTrue(e.problem().contains("source.ssl.key " + garbage) && e.fix().contains("BEGIN PRIVATE KEY"), e.oneLine());

        e = assertThrows(SluiceException.class, () -> PemFiles.privateKey("source.ssl.key", dir.resolve("missing.pem").toString()));
        assertTrue(e.problem().startsWith("cannot read source.ssl.key"), e.oneLine());

        e = assertThrows(SluiceException.class, () -> PemFiles.certificates("source.ssl.ca", garbage.toString()));
        assertTrue(e.problem().contains("source.ssl.ca " + garbage + " is not a PEM certificate file"), e.oneLine());
    }

    @Test
    void yaSslEraVersions() {
        assertTrue(ServerGreeting.yaSslEra("5.7.22-log"));
        assertTrue(ServerGreeting.yaSslEra("5.6.40"));
        assertTrue(!ServerGreeting.yaSslEra("5.7.28") && !ServerGreeting.yaSslEra("8.0.15")
                && !ServerGreeting.yaSslEra("5.5.5-10.11.6-MariaDB") && !ServerGreeting.yaSslEra(null));
    }
}
