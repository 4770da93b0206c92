package io.sluice.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A class-data-sharing archive of {@code bin/sluice run} (JDK 13+ dynamic CDS), so each of the many
 * {@code bin/sluice} JVMs the tests start maps the application's classes instead of loading and
 * verifying them: start-up to streaming takes about a third less (~1.5 s of ~4 s on a loaded 2-core
 * machine), which {@code CrashIT} alone pays for 20 restarts per server. Made once per build by a
 * training run against the test servers (a job streaming an empty table, then SIGTERM, the archive
 * written at exit), kept in {@code sluice-it/target}.
 *
 * <p>It changes only how classes are loaded, never what runs. {@code -Xshare:auto}: a missing or
 * stale archive (another JDK, a rebuilt jar) is silently not used, and the JVM starts as without it.
 * If the training run fails, the tests run without an archive.
 */
final class ClassDataArchive {

    private static final Path ARCHIVE = Servers.root().resolve("sluice-it/target/sluice-run.jsa");
    private static String options;

    private ClassDataArchive() {}

    /** JVM options that map the archive (after a training run if needed), or "" without one. */
    static synchronized String options() {
        if (options == null) {
            options = "";
            try {
                Path jar = Servers.root().resolve("sluice-app/target/sluice-app.jar");
                if (!Files.exists(ARCHIVE) || Files.getLastModifiedTime(ARCHIVE).compareTo(Files.getLastModifiedTime(jar)) < 0) train();
                if (Files.exists(ARCHIVE)) options = " -XX:SharedArchiveFile=" + ARCHIVE + " -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                System.out.println("no CDS archive for bin/sluice (tests run without it): " + e);
            }
        }
        return options;
    }

    private static void train() throws Exception {
        Files.deleteIfExists(ARCHIVE);
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_cds", "CREATE TABLE it_cds.t (id INT PRIMARY KEY)");
        Path dir = Files.createTempDirectory("sluice-cds");
        Path job = dir.resolve("job.yaml"), log = dir.resolve("training.log");
        long now = System.nanoTime();
        Files.writeString(job, JobYaml.of("cds-training-" + now, server, "it-cds-" + now, dir.resolve("state"), "it_cds.t", 7999));
        Path tmp = dir.resolve("sluice-run.jsa");
        ProcessBuilder pb = new ProcessBuilder("bash", Servers.root().resolve("bin/sluice").toString(), "run", "--config", job.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SLUICE_JAVA_OPTS", SluiceProcess.BASE_JAVA_OPTS + " -XX:ArchiveClassesAtExit=" + tmp + " -Xlog:cds=off -Xlog:cds+dynamic=off");
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!Files.readString(log).contains("streaming binlog") && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
            p.destroy(); // SIGTERM: a clean exit writes the archive
            if (!p.waitFor(120, TimeUnit.SECONDS)) throw new IllegalStateException("the CDS training run did not stop");
            if (Files.exists(tmp)) Files.move(tmp, ARCHIVE);
            else System.out.println("the CDS training run wrote no archive:\n" + Files.readString(log));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            server.exec("DROP DATABASE IF EXISTS it_cds");
        }
    }
}
