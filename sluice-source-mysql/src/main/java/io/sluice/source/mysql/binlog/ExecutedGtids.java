package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.GtidSet;
import com.github.shyiko.mysql.binlog.MariadbGtidSet;

/**
 * The GTID set a job has executed, as the text every transaction's offset carries.
 *
 * <p>Its text changes at every commit, and usually only in one number: the server's next GTID ends
 * the last interval of its UUID ({@code uuid:1-41} becomes {@code uuid:1-42}). That case is written
 * by replacing the number in the previous text; parsing the GTID, adding it to the client's
 * {@link GtidSet} and printing the whole set again cost several times that per transaction, more
 * with every server UUID a failover history leaves in the set. Any other GTID (a gap, another UUID,
 * one already in the set, a MariaDB GTID) takes the {@link GtidSet} path, which also decides the
 * text's form, so the two paths always print the same set alike.
 */
final class ExecutedGtids {

    private final boolean mariaDb;
    /** The set, as of {@link #text} unless {@link #setBehind}. */
    private GtidSet set;
    /** The fast path advanced {@link #text} past {@link #set}; the set is rebuilt from the text before its next use. */
    private boolean setBehind;
    private String text;
    /** The UUID whose last interval ends the number cut out of the text, or null when the text has no such cut. */
    private String lastUuid;
    private long lastEnd;
    /** The text around the number {@link #lastEnd}. */
    private String beforeEnd;
    private String afterEnd;

    ExecutedGtids(String gtidSet) {
        this.mariaDb = MariadbGtidSet.isMariaGtidSet(gtidSet);
        this.set = mariaDb ? new MariadbGtidSet(gtidSet) : new GtidSet(gtidSet);
        this.text = set.toString();
    }

    boolean mariaDb() {
        return mariaDb;
    }

    void add(String gtid) {
        if (lastUuid != null && nextOfLast(gtid)) {
            lastEnd++;
            text = beforeEnd + lastEnd + afterEnd;
            setBehind = true;
            return;
        }
        if (setBehind) {
            set = new GtidSet(text);
            setBehind = false;
        }
        set.add(gtid);
        text = set.toString();
        cutAtEndOf(gtid);
    }

    String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Whether {@code gtid} is {@link #lastUuid}'s {@code lastEnd + 1}, read without allocating. */
    private boolean nextOfLast(String gtid) {
        int uuidLength = lastUuid.length();
        if (gtid.length() <= uuidLength + 1 || gtid.charAt(uuidLength) != ':' || !gtid.startsWith(lastUuid)) return false;
        long next = lastEnd + 1;
        long n = 0;
        for (int i = uuidLength + 1; i < gtid.length(); i++) {
            char c = gtid.charAt(i);
            if (c < '0' || c > '9' || n > (Long.MAX_VALUE - 9) / 10) return false;
            n = n * 10 + (c - '0');
        }
        return n == next && next > 0;
    }

    /** Prepares the fast path when {@code gtid} (just added) ends the last interval of its UUID in {@link #text}. */
    private void cutAtEndOf(String gtid) {
        lastUuid = null;
        if (mariaDb) return;
        int colon = gtid.indexOf(':');
        if (colon <= 0 || colon != gtid.lastIndexOf(':')) return;
        String uuid = gtid.substring(0, colon);
        String number = gtid.substring(colon + 1);
        long n;
        try {
            n = Long.parseLong(number);
        } catch (NumberFormatException e) {
            return;
        }
        if (n <= 0 || !Long.toString(n).equals(number)) return;
        int start = text.indexOf(uuid + ":");
        if (start < 0 || (start > 0 && text.charAt(start - 1) != ',')) return;
        int end = text.indexOf(',', start);
        if (end < 0) end = text.length();
        int numberStart = end - number.length();
        if (numberStart <= start || text.charAt(numberStart - 1) != '-' || !text.startsWith(number, numberStart)) return;
        lastUuid = uuid;
        lastEnd = n;
        beforeEnd = text.substring(0, numberStart);
        afterEnd = text.substring(end);
    }
}
