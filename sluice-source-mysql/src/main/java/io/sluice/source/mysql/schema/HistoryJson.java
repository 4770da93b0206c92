package io.sluice.source.mysql.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The history's JSON form: format version, dialect, database charsets, and each table with its
 * columns (fields at their defaults left out) and keys.
 *
 * <p>Format 2 is format 1 plus nullability ({@code nn}, {@code tsNotNull}); a document is written
 * as 2 only when it holds one of them, so a history without them stays readable by Sluice versions
 * that know only format 1. The version is checked before the rest is parsed: a newer format's
 * unknown fields give "run the Sluice version that wrote it", not "corrupt".
 */
final class HistoryJson {

    private HistoryJson() {}

    /** The newest format this Sluice reads and writes. */
    static final int FORMAT = 2;

    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** @param tsNotNull explicit_defaults_for_timestamp is OFF (absent: ON) */
    record Doc(int v, String serverCharset, String utf8, boolean mariadb, Boolean tsNotNull, Map<String, String> databases, List<TableJson> tables) {}

    record TableJson(String db, String name, String charset, List<ColumnJson> columns, Map<String, List<String>> keys) {}

    /** @param nn true for NOT NULL; absent (nullable) in histories saved before Sluice kept it */
    record ColumnJson(String n, ColumnType t, Boolean u, Integer p, Integer s, String cs, Integer len, List<String> l, String g, Boolean nn) {}

    record State(Dialect dialect, List<TableDef> tables, Map<String, String> databases) {}

    static String write(Dialect d, Map<TableId, TableDef> tables, Map<String, String> databases) {
        List<TableJson> ts = new ArrayList<>();
        boolean notNull = d.implicitNotNullTimestamp();
        for (TableDef t : tables.values()) {
            List<ColumnJson> cols = new ArrayList<>();
            for (Column c : t.columns()) {
                cols.add(new ColumnJson(c.name(), c.type(), c.unsigned() ? true : null, c.precision() < 0 ? null : c.precision(),
                        c.scale() < 0 ? null : c.scale(), c.charset(), c.length() == 0 ? null : c.length(),
                        c.labels().isEmpty() ? null : c.labels(), c.subtype(), c.nullable() ? null : true));
                notNull |= !c.nullable();
            }
            ts.add(new TableJson(t.id().database(), t.id().table(), t.charset(), cols, t.keys().isEmpty() ? null : t.keys()));
        }
        try {
            return JSON.writeValueAsString(new Doc(notNull ? 2 : 1, d.serverCharset(), d.utf8Name(), d.mariadb(), d.implicitNotNullTimestamp() ? true : null, databases, ts));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static State read(String json) {
        Doc doc;
        try {
            JsonNode tree = JSON.readTree(json);
            int v = tree == null ? 0 : tree.path("v").asInt(0);
            if (v < 1 || v > FORMAT) {
                throw new SluiceException("the saved schema history has format " + v + ", this Sluice reads formats 1 to " + FORMAT,
                        "run the Sluice version that wrote it, or re-initialize the job");
            }
            doc = JSON.treeToValue(tree, Doc.class);
        } catch (JsonProcessingException e) {
            throw new SluiceException("the saved schema history is corrupt: " + e.getOriginalMessage(),
                    "re-initialize the job (`sluice run --reinitialize`)", e);
        }
        List<TableDef> tables = new ArrayList<>();
        for (TableJson t : doc.tables() == null ? List.<TableJson>of() : doc.tables()) {
            List<Column> cols = new ArrayList<>();
            for (ColumnJson c : t.columns()) {
                cols.add(new Column(c.n(), c.t(), Boolean.TRUE.equals(c.u()), c.p() == null ? -1 : c.p(), c.s() == null ? -1 : c.s(),
                        c.cs(), c.len() == null ? 0 : c.len(), c.l() == null ? List.of() : c.l(), c.g(), !Boolean.TRUE.equals(c.nn())));
            }
            tables.add(new TableDef(new TableId(t.db(), t.name()), t.charset(), cols, t.keys() == null ? Map.of() : t.keys()));
        }
        return new State(new Dialect(doc.serverCharset(), doc.utf8(), doc.mariadb(), Boolean.TRUE.equals(doc.tsNotNull())), tables,
                doc.databases() == null ? Map.of() : new LinkedHashMap<>(doc.databases()));
    }
}
