package io.sluice.it;

import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import io.sluice.it.support.RunsAlone;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/sluice's class-data-sharing archive (sluice-app/target/sluice.jsa, made by the build): used
 * when it fits, and an archive that does not fit (truncated, garbage, made for other jars) never
 * crashes the JVM nor adds a byte to stdout or stderr, where scripts parse {@code sluice check}.
 * Each test damages the build's archive and puts it back afterwards.
 */
@RunsAlone // damages bin/sluice's class-data archive
@Timeout(300)
class ClassDataSharingIT {

    private static final Path TARGET = Servers.root().resolve("sluice-app/target");
    private static final Path ARCHIVE = TARGET.resolve("sluice.jsa");
    private static final Path STAMP = TARGET.resolve("sluice.jsa.size");
    private static final Path JAR = TARGET.resolve("sluice-app.jar");
    private static final Map<String, String> OFF = Map.of("SLUICE_CDS", "off");

    @TempDir Path dir;
    private Path savedArchive;
    private String savedStamp;
    private FileTime jarTime;

    @BeforeEach
    void keepBuildsArchive() throws Exception {
        assertTrue(Files.isRegularFile(ARCHIVE) && Files.isRegularFile(STAMP), "the build (mvn package) made " + ARCHIVE + " and its stamp");
        savedStamp = Files.readString(STAMP);
        savedArchive = TARGET.resolve("sluice.jsa.it-saved");
        Files.copy(ARCHIVE, savedArchive, StandardCopyOption.REPLACE_EXISTING);
        jarTime = Files.getLastModifiedTime(JAR);
    }

    @AfterEach
    void restoreBuildsArchive() throws Exception {
        Files.setLastModifiedTime(JAR, jarTime);
        Files.move(savedArchive, ARCHIVE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(STAMP, savedStamp);
    }

    /** The launcher's collector: the parallel one by default, the operator's own when SLUICE_JAVA_OPTS names one. */
    @Test
    void parallelCollectorUnlessTheOptionsChooseOne() throws Exception {
        SluiceProcess.Result byDefault = SluiceProcess.exec(60, Map.of("SLUICE_JAVA_OPTS", "-Xmx256m -XX:+PrintCommandLineFlags"), "--version");
        assertEquals(0, byDefault.exitCode(), byDefault.all());
        assertTrue(byDefault.stdout().contains("-XX:+UseParallelGC"), byDefault.all());
        SluiceProcess.Result chosen = SluiceProcess.exec(60, Map.of("SLUICE_JAVA_OPTS", "-Xmx256m -XX:+UseG1GC -XX:+PrintCommandLineFlags"), "--version");
        assertEquals(0, chosen.exitCode(), "one collector only: " + chosen.all());
        assertTrue(chosen.stdout().contains("-XX:+UseG1GC") && !chosen.stdout().contains("UseParallelGC"), chosen.all());
    }

    /** What {@code sluice --version} prints without an archive: the reference every other run must equal. */
    private static SluiceProcess.Result versionWithout() throws Exception {
        SluiceProcess.Result r = SluiceProcess.exec(60, OFF, "--version");
        assertEquals(0, r.exitCode(), r.all());
        assertEquals("", r.stderr());
        return r;
    }

    private static void sameAs(SluiceProcess.Result expected, SluiceProcess.Result actual) {
        assertEquals(expected.exitCode(), actual.exitCode(), actual.all());
        assertEquals(expected.stdout(), actual.stdout());
        assertEquals(expected.stderr(), actual.stderr());
    }

    private static void writeArchive(byte[] bytes, boolean stampMatches) throws Exception {
        Files.deleteIfExists(ARCHIVE); // the JVM writes it read-only
        Files.write(ARCHIVE, bytes);
        if (stampMatches) Files.writeString(STAMP, String.valueOf(bytes.length));
    }

    /** The half of the build's archive: header intact, as an interrupted copy or a full disk leaves it. */
    private static byte[] truncated() throws Exception {
        byte[] all = Files.readAllBytes(ARCHIVE);
        return java.util.Arrays.copyOf(all, all.length / 2);
    }

    @Test
    void theBuildsArchiveIsUsed() throws Exception {
        assertEquals(String.valueOf(Files.size(ARCHIVE)), savedStamp.trim(), "the stamp holds the archive's size");
        Path classLog = dir.resolve("classes.txt");
        SluiceProcess.Result r = SluiceProcess.exec(60, Map.of("SLUICE_JAVA_OPTS", "-Xmx256m -Xlog:class+load:file=" + classLog), "--version");
        sameAs(versionWithout(), r);
        assertTrue(Files.readString(classLog).contains("io.sluice.app.cli.SluiceCli source: shared objects file (top)"),
                "SluiceCli comes from the archive");
        SluiceProcess.exec(60, Map.of("SLUICE_CDS", "off", "SLUICE_JAVA_OPTS", "-Xmx256m -Xlog:class+load:file=" + classLog), "--version");
        assertTrue(Files.readString(classLog).contains("io.sluice.app.cli.SluiceCli source: file:"), "SLUICE_CDS=off: not from the archive");
    }

    /** JDK 17 maps a truncated archive without checking its length (SIGBUS): the stamp no longer matches, so it is not used. */
    @Test
    void truncatedArchiveIsNotUsed() throws Exception {
        SluiceProcess.Result expected = versionWithout();
        writeArchive(truncated(), false);
        sameAs(expected, SluiceProcess.exec(60, "--version"));
    }

    /** An archive the stamp vouches for that still does not fit: SLUICE_CDS=off starts without it. */
    @Test
    void sluiceCdsOffIgnoresTheArchive() throws Exception {
        SluiceProcess.Result expected = versionWithout();
        writeArchive(truncated(), true);
        sameAs(expected, SluiceProcess.exec(60, OFF, "--version"));
    }

    @Test
    void garbageArchiveIsIgnoredSilently() throws Exception {
        SluiceProcess.Result expected = versionWithout();
        byte[] garbage = new byte[100_000];
        new Random(7).nextBytes(garbage);
        writeArchive(garbage, true);
        sameAs(expected, SluiceProcess.exec(60, "--version"));
    }

    /** A rebuilt jar makes the archive stale: the JVM's warning about it would go to stdout, into `sluice check`'s output. */
    @Test
    void staleArchivePrintsNothing() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.exec("CREATE DATABASE IF NOT EXISTS it_cds_sharing", "CREATE TABLE IF NOT EXISTS it_cds_sharing.t (id INT PRIMARY KEY)");
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("cds-" + System.nanoTime(), server, "it-cds-sharing-" + System.nanoTime(), dir.resolve("state"), "it_cds_sharing.t", 6811));
        SluiceProcess.Result expected = SluiceProcess.exec(120, OFF, "check", "--config", job.toString());
        assertEquals(0, expected.exitCode(), expected.all());
        Files.setLastModifiedTime(JAR, FileTime.fromMillis(jarTime.toMillis() + 2000));
        sameAs(versionWithout(), SluiceProcess.exec(60, "--version"));
        SluiceProcess.Result check = SluiceProcess.exec(120, "check", "--config", job.toString());
        assertEquals(0, check.exitCode(), check.all());
        assertEquals(expected.stdout(), check.stdout(), "the same precheck lines, nothing else on stdout");
    }
}
