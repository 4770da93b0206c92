package io.sluice.core.format;

import io.sluice.core.route.Router;

/**
 * One record format ({@code target.format}): its encoders, and what a job reads back from records
 * already in its topic at start (the highest id, and whether a record is its own).
 */
public interface RecordFormat {

    /**
     * @param sourceName    the job's {@code source.name}
     * @param sourceVersion the source server's version string
     * @param router        the job's router (target names of tables and columns)
     */
    RecordEncoder encoder(String sourceName, String sourceVersion, Router router);

    /** The Sluice record id of an encoded record; IllegalArgumentException for a value that is not one of this format. */
    long id(byte[] encoded);

    /** Where an encoded record came from, or null for a value that is not a record of this format. */
    RecordOrigin origin(byte[] encoded);

    /**
     * @param objectName the table's target {@code db.table} as {@link Router#objectName} writes it
     * @param source     the job's {@code source.name}; null where the format does not carry it (Canal JSON)
     */
    record RecordOrigin(String objectName, String source) {}
}
