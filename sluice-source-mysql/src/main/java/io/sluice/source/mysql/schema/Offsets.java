package io.sluice.source.mysql.schema;

import io.sluice.core.model.BinlogOffset;

/** Orders binlog offsets: by the file's numeric extension (mysql-bin.000009 &lt; mysql-bin.000010), then position. */
public final class Offsets {

    private Offsets() {}

    public static int compare(BinlogOffset a, BinlogOffset b) {
        int c = Long.compare(sequence(a.file()), sequence(b.file()));
        if (c == 0) c = a.file().compareTo(b.file());
        return c != 0 ? c : Long.compare(a.position(), b.position());
    }

    static long sequence(String file) {
        int dot = file.lastIndexOf('.');
        try {
            return Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
