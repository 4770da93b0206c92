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
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Generated columns, virtual and stored: every record carries them with their values, INIT records
 * (read by SELECT) and streamed ones (read from the binlog's row images) alike.
 */
@Timeout(180)
class GeneratedColumnsIT {

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void generatedColumnsCarryTheirValues(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_gen_" + flavor.server;
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, a INT, v INT AS (a * 2) VIRTUAL,"
                + " s INT AS (a + 1) STORED, w VARCHAR(10))", "INSERT INTO " + db + ".t (id, a, w) VALUES (1, 10, 'x')");
        String topic = "it-gen-" + flavor.server + "-" + System.nanoTime();
        String yaml = JobYaml.of("gen-" + flavor.server + "-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".t",
                8781 + flavor.ordinal());
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic); RunningJob job = RunningJob.start(yaml)) {
            server.exec("INSERT INTO " + db + ".t (id, a, w) VALUES (2, 20, 'y')", "UPDATE " + db + ".t SET a = 11 WHERE id = 1",
                    "DELETE FROM " + db + ".t WHERE id = 2");
            List<GenericRecord> records = out.await(4, Duration.ofSeconds(60));
            assertEquals(List.of("id", "a", "v", "s", "w"), Images.fieldNames(records.get(0)));
            assertEquals(List.of("INIT [] -> [1, 10, 20, 11, x]", "INSERT [] -> [2, 20, 40, 21, y]",
                    "UPDATE [1, 10, 20, 11, x] -> [1, 11, 22, 12, x]", "DELETE [2, 20, 40, 21, y] -> []"),
                    records.stream().map(GeneratedColumnsIT::describe).toList());
        }
        server.exec("DROP DATABASE IF EXISTS " + db);
    }

    private static String describe(GenericRecord r) {
        return r.get("operation") + " " + text(Images.of(r, "beforeImages")) + " -> " + text(Images.of(r, "afterImages"));
    }

    private static String text(List<Value> image) {
        if (image == null) return "[]";
        return image.stream().map(v -> v instanceof Value.CharacterValue c ? new String(c.value(), StandardCharsets.UTF_8)
                : v instanceof Value.IntegerValue i ? i.value() : String.valueOf(v)).toList().toString();
    }
}
