package io.sluice.app.cli;

import io.sluice.format.dts.DtsAvroEncoder;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Temporal values as people write them, not as the DTS record splits them. */
class RecordTextTest {

    private static final Schema DATE_TIME = new Schema.Parser().parse(DtsAvroEncoder.schemaText()).getTypes().stream()
            .filter(s -> s.getName().equals("DateTime")).findFirst().orElseThrow();

    private static GenericRecord dateTime(Integer year, Integer month, Integer day, Integer hour, Integer minute, Integer second, Integer micros) {
        GenericRecord g = new GenericData.Record(DATE_TIME);
        g.put("year", year);
        g.put("month", month);
        g.put("day", day);
        g.put("hour", hour);
        g.put("minute", minute);
        g.put("second", second);
        g.put("millis", micros);
        return g;
    }

    @Test
    void datesArePadded() {
        assertEquals("2024-02-29", RecordText.dateTime(dateTime(2024, 2, 29, null, null, null, null)));
        assertEquals("0000-00-00", RecordText.dateTime(dateTime(0, 0, 0, null, null, null, null)));
        assertEquals("0999", RecordText.dateTime(dateTime(999, null, null, null, null, null, null)));
    }

    @Test
    void negativeTimesHaveOneSign() {
        assertEquals("-12:34:56.789", RecordText.dateTime(dateTime(null, null, null, -12, -34, -56, -789000)));
        assertEquals("-00:00:01", RecordText.dateTime(dateTime(null, null, null, 0, 0, -1, 0)));
        assertEquals("838:59:59", RecordText.dateTime(dateTime(null, null, null, 838, 59, 59, 0)));
        assertEquals("2024-02-29 01:02:03.000004", RecordText.dateTime(dateTime(2024, 2, 29, 1, 2, 3, 4)));
    }

    @Test
    void timestampsAreUtcIso8601() {
        assertEquals("2024-02-29T12:34:56.789Z", RecordText.timestamp(1709210096L, 789000));
        assertEquals("1970-01-01T00:00:01Z", RecordText.timestamp(1L, 0));
        assertEquals("0000-00-00 00:00:00", RecordText.timestamp(0L, 0));
    }
}
