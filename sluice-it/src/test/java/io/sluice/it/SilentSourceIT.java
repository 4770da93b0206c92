package io.sluice.it;

import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * source.port pointing at a service that accepts connections and never answers (not MySQL): check
 * and run end after source.connectTimeoutSeconds with exit 2 and one line naming host:port and the
 * fix, instead of waiting for Connector/J's socket timeout (ten minutes).
 */
@Timeout(180)
class SilentSourceIT {

    /** Accepts every connection and never sends a byte. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        final Thread thread = new Thread(() -> {
            try {
                while (true) accepted.add(socket.accept());
            } catch (IOException closed) {
                // done
            }
        }, "silent-server");

        SilentServer() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        int port() { return socket.getLocalPort(); }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : accepted) s.close();
        }
    }

    private static Path jobFile(Path dir, int port) throws IOException {
        return jobFile(dir, port, 3);
    }

    private static Path jobFile(Path dir, int port, int connectTimeoutSeconds) throws IOException {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, """
                name: silent-%d
                source:
                  name: silent
                  host: 127.0.0.1
                  port: %d
                  user: sluice
                  password: sluice
                  serverId: 7821
                  connectTimeoutSeconds: %d
                target:
                  bootstrapServers: %s
                  topic: it-silent
                objects:
                  include: [it_silent.t]
                state:
                  dir: %s
                """.formatted(System.nanoTime(), port, connectTimeoutSeconds, Servers.kafkaBootstrap(), dir.resolve("state")));
        return file;
    }

    private static SluiceProcess sluice(Path log, String... args) throws IOException {
        return SluiceProcess.startCommand(log, args);
    }

    @Test
    void checkAndRunGiveUpOnASourceThatNeverAnswers(@TempDir Path dir) throws Exception {
        try (SilentServer silent = new SilentServer()) {
            Path job = jobFile(dir, silent.port());
            for (String command : List.of("check", "run")) {
                Path log = dir.resolve(command + ".log");
                SluiceProcess p = sluice(log, command, "--config", job.toString());
                try {
                    int code = p.awaitExit(Duration.ofSeconds(60));
                    String text = Files.readString(log);
                    String where = "127.0.0.1:" + silent.port();
                    if (command.equals("run")) {
                        assertEquals(2, code, "run: exit 2; log:\n" + text);
                        assertTrue(text.lines().anyMatch(l -> l.startsWith("sluice: ") && l.contains(where)
                                && l.contains("did not answer within 3 s") && l.contains("source.connectTimeoutSeconds")), text);
                    } else {
                        assertEquals(2, code, "check: exit 2 (an item failed); log:\n" + text);
                        assertTrue(text.lines().anyMatch(l -> l.startsWith("FAIL") && l.contains(where)
                                && l.contains("did not answer within 3 s")), text);
                    }
                    assertTrue(!silent.accepted.isEmpty(), "the connection was accepted (then never answered)");
                } finally {
                    if (p.isAlive()) p.kill();
                }
            }
        }
    }

    @Test
    void sigtermWhileStartingAgainstASourceThatNeverAnswersEndsWithin10Seconds(@TempDir Path dir) throws Exception {
        try (SilentServer silent = new SilentServer()) {
            Path job = jobFile(dir, silent.port(), 120); // the handshake alone would wait two minutes
            Path log = dir.resolve("run.log");
            SluiceProcess p = sluice(log, "run", "--config", job.toString());
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (silent.accepted.isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
                assertTrue(!silent.accepted.isEmpty(), "sluice connects to the source");
                assertEquals(0, p.terminateWithin(Duration.ofSeconds(10)), () -> "SIGTERM while starting: exit 0 within 10 s; log:\n"
                        + read(log));
            } finally {
                if (p.isAlive()) p.kill();
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
