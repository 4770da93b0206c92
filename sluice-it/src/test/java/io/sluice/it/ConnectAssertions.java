package io.sluice.it;

import io.sluice.it.support.Workload;
import io.sluice.it.support.Workload.Change;
import org.apache.avro.generic.GenericRecord;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the Connect tests assert about a topic a {@link Workload} was streamed into. */
final class ConnectAssertions {

    private ConnectAssertions() {}

    /**
     * Every committed change exactly once, in commit order; one sourceTxid per source transaction;
     * strictly increasing ids; the replay equals the table; and each source transaction atomic for a
     * read_committed consumer: a source transaction of at most {@code maxRecords} rows lies inside one
     * Kafka transaction (no commit marker, i.e. no offset gap, between its records), a larger one is
     * split into Kafka transactions of at most {@code maxRecords} rows.
     *
     * @param records the workload table's records (other tables' records removed), read read_committed
     * @param offsets their partition offsets
     * @return how many source transactions were split into several Kafka transactions
     */
    static int exactlyOnceAndAtomic(Workload workload, List<GenericRecord> records, List<Long> offsets, int maxRecords) {
        List<List<Change>> committed = workload.committed();
        List<Change> expected = committed.stream().flatMap(List::stream).toList();
        List<Change> actual = records.stream().map(CrashIT::change).toList();
        int duplicates = actual.size() - (int) actual.stream().distinct().count();
        System.out.printf("%d source transactions, %d changes expected, %d records read, %d duplicates%n",
                committed.size(), expected.size(), actual.size(), duplicates);
        // (a compact message: the lists can hold many thousand changes)
        int first = firstDifference(expected, actual);
        assertTrue(first < 0, "every committed change exactly once, in commit order: " + expected.size() + " expected, "
                + actual.size() + " read; first difference at " + first + ": expected "
                + expected.subList(Math.max(0, first - 2), Math.min(expected.size(), first + 3)) + ", read "
                + actual.subList(Math.max(0, Math.min(actual.size(), first - 2)), Math.min(actual.size(), first + 3)));

        List<Integer> groupSizes = new ArrayList<>();
        List<Integer> groupStarts = new ArrayList<>();
        String previous = null;
        for (int i = 0; i < records.size(); i++) {
            String txid = records.get(i).get("sourceTxid").toString();
            if (txid.equals(previous)) {
                groupSizes.set(groupSizes.size() - 1, groupSizes.get(groupSizes.size() - 1) + 1);
            } else {
                groupSizes.add(1);
                groupStarts.add(i);
            }
            previous = txid;
        }
        int firstGroup = firstDifference(committed.stream().map(List::size).toList(), groupSizes);
        assertTrue(firstGroup < 0, "one sourceTxid per source transaction: first difference at transaction " + firstGroup);

        int split = 0;
        for (int g = 0; g < groupSizes.size(); g++) {
            int start = groupStarts.get(g), size = groupSizes.get(g), run = 1, runs = 1;
            for (int i = start + 1; i < start + size; i++) {
                if (offsets.get(i) == offsets.get(i - 1) + 1) {
                    run++;
                } else {
                    assertTrue(size > maxRecords, "source transaction " + records.get(start).get("sourceTxid") + " of " + size
                            + " rows is not in one Kafka transaction (offset gap " + offsets.get(i - 1) + " -> " + offsets.get(i) + ")");
                    assertTrue(run <= maxRecords, "a piece of a split transaction holds " + run + " > " + maxRecords + " rows");
                    run = 1;
                    runs++;
                }
            }
            assertTrue(run <= maxRecords, "a piece of a split transaction holds " + run + " > " + maxRecords + " rows");
            if (runs > 1) split++;
        }
        System.out.printf("%d source transactions were split into several Kafka transactions%n", split);

        long lastId = 0;
        for (GenericRecord r : records) {
            assertTrue((Long) r.get("id") > lastId, "record ids strictly increase");
            lastId = (Long) r.get("id");
        }
        Map<Integer, Integer> replay = new HashMap<>();
        for (Change c : actual) {
            if (c.after() == null) replay.remove(c.id());
            else replay.put(c.id(), c.after());
        }
        assertTrue(workload.expectedRows().equals(replay), "replaying the topic gives the table");
        return split;
    }

    /** The first index where the lists differ (or where the shorter one ends), -1 when they are equal. */
    private static <T> int firstDifference(List<T> a, List<T> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!a.get(i).equals(b.get(i))) return i;
        }
        return a.size() == b.size() ? -1 : Math.min(a.size(), b.size());
    }
}
