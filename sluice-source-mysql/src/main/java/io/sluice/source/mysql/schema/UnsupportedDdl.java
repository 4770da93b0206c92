package io.sluice.source.mysql.schema;

/** A statement, or a part of one, the history cannot apply by itself. */
final class UnsupportedDdl extends RuntimeException {
    UnsupportedDdl(String message) {
        super(message, null, false, false);
    }
}
