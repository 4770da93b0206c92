package io.sluice.sink.kafka;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListenerProbeTest {

    /** A local server that reads nothing and writes {@code reply} to every connection (null: writes nothing). */
    private static ListenerProbe.Answer probeServerAnswering(byte[] reply) throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    if (reply != null) {
                        s.getOutputStream().write(reply);
                        s.getOutputStream().flush();
                    }
                    Thread.sleep(2000); // keep the connection open: the probe must classify what came
                } catch (IOException | InterruptedException e) {
                    // the test closed the server
                }
            });
            t.setDaemon(true);
            t.start();
            return ListenerProbe.probe("127.0.0.1", server.getLocalPort(), 500);
        }
    }

    @Test
    void httpReplyIsHttp() throws Exception {
        assertEquals(ListenerProbe.Answer.HTTP,
                probeServerAnswering("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void tlsAlertIsTls() throws Exception {
        assertEquals(ListenerProbe.Answer.TLS, probeServerAnswering(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x50}));
    }

    @Test
    void silentServerIsNothing() throws Exception {
        assertEquals(ListenerProbe.Answer.NOTHING, probeServerAnswering(null));
    }

    @Test
    void closedPortIsNothing() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertEquals(ListenerProbe.Answer.NOTHING, ListenerProbe.probe("127.0.0.1", port, 500));
        assertNull(ListenerProbe.explainBootstrap("127.0.0.1:" + port, 500));
    }

    @Test
    void kafkaFrameWithOurCorrelationIdIsKafka() {
        byte[] reply = {0, 0, 0, 10, 0, 0, 0x51, (byte) 0xC3};
        assertEquals(ListenerProbe.Answer.KAFKA, ListenerProbe.classify(reply, 8));
    }

    @Test
    void explainsHttpWithTheListenerFix() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(2000);
                } catch (IOException | InterruptedException e) {
                    // closed
                }
            });
            t.setDaemon(true);
            t.start();
            String address = "127.0.0.1:" + server.getLocalPort();
            String[] explained = ListenerProbe.explainBootstrap("127.0.0.1:1, " + address, 500);
            assertEquals(address + " answers HTTP, not the Kafka protocol", explained[0]);
            assertTrue(explained[1].contains("not a REST/HTTP port"), explained[1]);
        }
    }
}
