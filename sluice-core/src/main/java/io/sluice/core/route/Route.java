package io.sluice.core.route;

import io.sluice.core.config.JobConfig;

import java.util.List;

/**
 * Where, in which record format and under which names a table's changes are written.
 *
 * @param objectName DTS objectName: target db.table with dots inside names escaped
 * @param fieldNames target column names in table column order
 * @param format     the record format of {@code topic} (a target.topics entry's own, else target.format); null: the job's
 */
public record Route(String topic, String objectName, List<String> fieldNames, JobConfig.Format format) {

    public Route(String topic, String objectName, List<String> fieldNames) {
        this(topic, objectName, fieldNames, null);
    }
}
