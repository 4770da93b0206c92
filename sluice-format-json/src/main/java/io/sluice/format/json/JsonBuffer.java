package io.sluice.format.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** One reused buffer and Jackson generator per encoder: each record is written into it, then copied out. */
final class JsonBuffer {

    private static final JsonFactory FACTORY = new JsonFactory();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);

    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    byte[] write(Body body) {
        bytes.reset();
        try (JsonGenerator g = FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
