package io.sluice.it;

import io.sluice.core.model.Value;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Tables whose names hold '.', spaces, backticks, non-ASCII letters or reserved words: selected by
 * backticked includes (literal and with wildcards), mapped, initialized (INIT records) and streamed
 * (INSERT, UPDATE, DELETE, DDL), and resumed from a checkpoint that names them. Every record is
 * checked: operation, objectName (dots inside names as the six characters \u002E), fields, values.
 */
@Timeout(300)
class NamesIT {

    private static final String DOT = "\\" + "u002E";
    private static final String DOTTED_DB = "it_nm.x";
    private static final String OTHER_DB = "it_nm2";

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void oddNamesAreSelectedMappedInitializedAndStreamed(Flavor flavor, @TempDir Path state) throws Exception {
        MySqlServer server = flavor.start();
        String v = " (id INT PRIMARY KEY, `v w` VARCHAR(20) CHARACTER SET utf8mb4)";
        server.exec("DROP DATABASE IF EXISTS `it_nm.x`", "DROP DATABASE IF EXISTS it_nm2",
                "CREATE DATABASE `it_nm.x`", "CREATE DATABASE it_nm2",
                "CREATE TABLE `it_nm.x`.`t.y`" + v,
                "CREATE TABLE `it_nm.x`.`t.other`" + v, // not included
                "CREATE TABLE it_nm2.`tāble`" + v,
                "CREATE TABLE it_nm2.`表`" + v,
                "CREATE TABLE it_nm2.`order` (id INT PRIMARY KEY, `select` INT)",
                "CREATE TABLE it_nm2.`a``b`" + v,
                "CREATE TABLE it_nm2.`my t`" + v,
                "CREATE TABLE it_nm2.`skip.me`" + v, // excluded
                "INSERT INTO `it_nm.x`.`t.y` VALUES (1, 'one'), (2, 'twö')",
                "INSERT INTO `it_nm.x`.`t.other` VALUES (1, 'no')",
                "INSERT INTO it_nm2.`tāble` VALUES (1, 'ā')",
                "INSERT INTO it_nm2.`表` VALUES (1, '值')",
                "INSERT INTO it_nm2.`order` VALUES (1, 10)",
                "INSERT INTO it_nm2.`a``b` VALUES (1, 'tick')",
                "INSERT INTO it_nm2.`my t` VALUES (1, 'space')",
                "INSERT INTO it_nm2.`skip.me` VALUES (1, 'no')");
        String topic = "it-names-" + flavor.server + "-" + System.nanoTime();
        String yaml = JobYaml.of("names-" + System.nanoTime(), server, topic, state, "'`it_nm.x`.`t.y`', '`it_nm2`.*'", 6951)
                .replace("  include: ['`it_nm.x`.`t.y`', '`it_nm2`.*']\n", """
                          include: ['`it_nm.x`.`t.y`', '`it_nm2`.*']
                          exclude: ['`it_nm2`.`*.me`']
                          mapping:
                            databases: {it_nm2: '`out 2`'}
                            tables: {'`it_nm.x`.`t.y`': '`out.x`.`t.y`'}
                            columns:
                              '`it_nm.x`.`t.y`': {'`v w`': '`v.w`'}
                              it_nm2.`order`: {select: '`sel``x`'}
                        """)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n  ddl: {enabled: true}\n");
        String ty = "out" + DOT + "x.t" + DOT + "y";

        List<String> init = List.of(
                "INIT " + ty + " [id, v.w] after=[1, one]",
                "INIT " + ty + " [id, v.w] after=[2, twö]",
                "INIT out 2.tāble [id, v w] after=[1, ā]",
                "INIT out 2.表 [id, v w] after=[1, 值]",
                "INIT out 2.order [id, sel`x] after=[1, 10]",
                "INIT out 2.a`b [id, v w] after=[1, tick]",
                "INIT out 2.my t [id, v w] after=[1, space]");
        List<String> stream = List.of(
                "INSERT " + ty + " [id, v.w] after=[3, three]",
                "UPDATE " + ty + " [id, v.w] before=[1, one] after=[1, uno]",
                "DELETE " + ty + " [id, v.w] before=[2, twö]",
                "DDL " + ty + " ALTER TABLE `it_nm.x`.`t.y` ADD COLUMN `new.col` INT",
                "INSERT " + ty + " [id, v.w, new.col] after=[4, four, 44]",
                "INSERT out 2.tāble [id, v w] after=[2, ē]",
                "UPDATE out 2.表 [id, v w] before=[1, 值] after=[1, 新]",
                "DDL out 2.表 ALTER TABLE it_nm2.`表` ADD COLUMN `列` INT",
                "INSERT out 2.表 [id, v w, 列] after=[2, 二, 2]",
                "DELETE out 2.order [id, sel`x] before=[1, 10]",
                "INSERT out 2.a`b [id, v w] after=[2, tock]",
                "UPDATE out 2.my t [id, v w] before=[1, space] after=[1, spaced]",
                "DDL out 2.skip" + DOT + "ok RENAME TABLE it_nm2.`skip.me` TO it_nm2.`skip.ok`");
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob job = RunningJob.start(yaml)) { // "streaming": the initialization is done
                assertEquals(sorted(init), sorted(texts(out.await(init.size(), Duration.ofSeconds(60)))), "INIT records");
                server.exec("INSERT INTO `it_nm.x`.`t.y` VALUES (3, 'three')",
                        "UPDATE `it_nm.x`.`t.y` SET `v w`='uno' WHERE id=1",
                        "DELETE FROM `it_nm.x`.`t.y` WHERE id=2",
                        "ALTER TABLE `it_nm.x`.`t.y` ADD COLUMN `new.col` INT",
                        "INSERT INTO `it_nm.x`.`t.y` VALUES (4, 'four', 44)",
                        "INSERT INTO `it_nm.x`.`t.other` VALUES (2, 'no')",
                        "INSERT INTO it_nm2.`tāble` VALUES (2, 'ē')",
                        "UPDATE it_nm2.`表` SET `v w`='新' WHERE id=1",
                        "ALTER TABLE it_nm2.`表` ADD COLUMN `列` INT",
                        "INSERT INTO it_nm2.`表` VALUES (2, '二', 2)",
                        "DELETE FROM it_nm2.`order` WHERE id=1",
                        "INSERT INTO it_nm2.`a``b` VALUES (2, 'tock')",
                        "UPDATE it_nm2.`my t` SET `v w`='spaced' WHERE id=1",
                        "INSERT INTO it_nm2.`skip.me` VALUES (2, 'no')",
                        // renamed into the selection: its rows from now on are selected
                        "RENAME TABLE it_nm2.`skip.me` TO it_nm2.`skip.ok`");
                List<GenericRecord> all = out.await(init.size() + stream.size(), Duration.ofSeconds(60));
                assertEquals(stream, texts(all.subList(init.size(), all.size())), "stream records in binlog order");
            }
            // a restart resumes from the checkpoint that names these tables: nothing initialized or written again
            try (RunningJob job = RunningJob.start(yaml)) {
                server.exec("INSERT INTO `it_nm.x`.`t.y` VALUES (5, 'five', 55)", "INSERT INTO it_nm2.`skip.ok` VALUES (3, 'yes')");
                out.await(init.size() + stream.size() + 2, Duration.ofSeconds(60));
                job.close(); // the INSERT INTO skip.ok was the last statement
                List<GenericRecord> all = out.readToEnd();
                assertEquals(List.of("INSERT " + ty + " [id, v.w, new.col] after=[5, five, 55]",
                                "INSERT out 2.skip" + DOT + "ok [id, v w] after=[3, yes]"),
                        texts(all.subList(init.size() + stream.size(), all.size())), "after the restart");
            }
        }
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    /** One line per record: operation, objectName, field names and values (DDL: the statement). */
    private static List<String> texts(List<GenericRecord> records) {
        List<String> out = new ArrayList<>();
        for (GenericRecord r : records) {
            String op = r.get("operation").toString();
            String head = op + " " + r.get("objectName");
            if (op.equals("DDL")) {
                out.add(head + " " + r.get("afterImages"));
                continue;
            }
            StringBuilder s = new StringBuilder(head).append(' ').append(Images.fieldNames(r));
            List<Value> before = Images.of(r, "beforeImages");
            List<Value> after = Images.of(r, "afterImages");
            if (before != null) s.append(" before=").append(values(before));
            if (after != null) s.append(" after=").append(values(after));
            out.add(s.toString());
        }
        return out;
    }

    private static String values(List<Value> values) {
        return values.stream().map(NamesIT::text).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String text(Value v) {
        if (v == null) return "null";
        if (v instanceof Value.IntegerValue i) return i.value();
        if (v instanceof Value.CharacterValue c) return new String(c.value(), StandardCharsets.UTF_8);
        return v.toString();
    }
}
