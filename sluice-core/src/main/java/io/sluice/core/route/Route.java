package io.sluice.core.route;

import java.util.List;

/**
 * Where and under which names a table's changes are written.
 *
 * @param objectName DTS objectName: target db.table with dots inside names escaped
 * @param fieldNames target column names in table column order
 */
public record Route(String topic, String objectName, List<String> fieldNames) {}
