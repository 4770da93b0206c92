package io.sluice.engine.job;

import io.sluice.source.mysql.SchemaCache;

/** Schema caches for dispatcher tests. */
final class TestSchemaCaches {

    private TestSchemaCaches() { }

    /** A catalogue of no database and no table, as a job starts with on an empty server (utf8mb4, MySQL). */
    static SchemaCache empty() {
        return SchemaCache.fromJson(
                "{\"v\":1,\"serverCharset\":\"utf8mb4\",\"utf8\":\"utf8\",\"mariadb\":false,\"databases\":{},\"tables\":[]}", null);
    }
}
