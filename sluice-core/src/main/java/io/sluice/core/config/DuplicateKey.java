package io.sluice.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.StreamReadException;

import java.util.ArrayDeque;
import java.util.Deque;

/** The path of a key written twice, from the parser's error (STRICT_DUPLICATE_DETECTION). */
final class DuplicateKey {

    private DuplicateKey() {}

    /** {@code target.topic}, {@code objects.mapping.tables.shop.a}, or null when the error is another one. */
    static String path(StreamReadException e) {
        if (e.getOriginalMessage() == null || !e.getOriginalMessage().startsWith("Duplicate field")) return null;
        JsonParser parser = e.getProcessor();
        if (parser == null) return "?";
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject()) parts.push(c.getCurrentName() == null ? "?" : c.getCurrentName());
            else if (c.inArray()) parts.push("[" + c.getCurrentIndex() + "]");
        }
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (sb.length() > 0 && !p.startsWith("[")) sb.append('.');
            sb.append(p);
        }
        return sb.toString();
    }
}
