package io.sluice.core.config;

import io.sluice.core.error.SluiceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobConfigLoaderTest {

    /** The README's job file example. */
    private static final String EXAMPLE = """
            name: shop-sync
            source:
              name: shop-db
              host: db.example.com
              port: 3306
              user: sluice
              password: ${SLUICE_MYSQL_PASSWORD}
              serverId: 5401
            target:
              bootstrapServers: kafka-1:9092,kafka-2:9092
              topic: shop-changes
            objects:
              include: [shop.orders, shop.customers]
            """;

    private static JobConfigLoader loader(Map<String, String> env) {
        return new JobConfigLoader(env::get);
    }

    private static JobConfig parse(String yaml, Map<String, String> env) {
        return loader(env).parse(yaml, "job.yaml");
    }

    private static SluiceException fails(String yaml, Map<String, String> env) {
        return assertThrows(SluiceException.class, () -> parse(yaml, env));
    }

    private static SluiceException fails(String yaml) {
        return fails(yaml, Map.of("SLUICE_MYSQL_PASSWORD", "pw"));
    }

    private static void assertActionable(SluiceException e) {
        assertNotNull(e.problem());
        assertTrue(e.problem().startsWith("job.yaml") || e.problem().startsWith("key '"), e.problem());
        assertNotNull(e.fix());
        assertFalse(e.fix().isBlank(), "every error says how to fix it");
        assertTrue(e.oneLine().contains(e.problem()) && e.oneLine().contains(e.fix()), e.oneLine());
    }

    @Test
    void theReadmeExampleBinds() {
        JobConfig c = parse(EXAMPLE, Map.of("SLUICE_MYSQL_PASSWORD", "s3cr$t\\x"));
        assertEquals("shop-sync", c.name);
        assertEquals("shop-db", c.source.name);
        assertEquals("db.example.com", c.source.host);
        assertEquals(3306, c.source.port);
        assertEquals("sluice", c.source.user);
        assertEquals("s3cr$t\\x", c.source.password, "replacement text is taken literally");
        assertEquals(5401L, c.source.serverId);
        assertEquals("kafka-1:9092,kafka-2:9092", c.target.bootstrapServers);
        assertEquals("shop-changes", c.target.topic);
        assertEquals(List.of("shop.orders", "shop.customers"), c.objects.include);
        // defaults
        assertEquals(List.of(), c.objects.exclude);
        assertEquals(1, c.target.partitions);
        assertEquals(JobConfig.Partitioning.NONE, c.target.partitionBy);
        assertEquals("sluice-state", c.state.dir);
        assertEquals(0, c.status.httpPort);
        assertEquals(30, c.source.connectTimeoutSeconds);
    }

    @Test
    void loadsFromAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shop.yaml");
        Files.writeString(file, EXAMPLE);
        JobConfig c = loader(Map.of("SLUICE_MYSQL_PASSWORD", "pw")).load(file);
        assertEquals("pw", c.source.password);

        SluiceException e = assertThrows(SluiceException.class,
                () -> loader(Map.of()).load(dir.resolve("missing.yaml")));
        assertTrue(e.problem().contains("missing.yaml"), e.problem());
        assertNotNull(e.fix());
    }

    @Test
    void envDefaultsApplyOnlyWhenUnset() {
        String yaml = EXAMPLE.replace("db.example.com", "${DB_HOST:-localhost}")
                .replace("topic: shop-changes", "topic: ${PREFIX:-dev}-shop-${SUFFIX:-}changes")
                .replace("[shop.orders, shop.customers]", "[\"${DB:-shop}.orders\", shop.customers]");

        JobConfig unset = parse(yaml, Map.of("SLUICE_MYSQL_PASSWORD", "pw"));
        assertEquals("localhost", unset.source.host);
        assertEquals("dev-shop-changes", unset.target.topic, "several placeholders in one value; empty default");
        assertEquals(List.of("shop.orders", "shop.customers"), unset.objects.include, "list items are expanded");

        Map<String, String> env = new HashMap<>();
        env.put("SLUICE_MYSQL_PASSWORD", "pw");
        env.put("DB_HOST", "mysql.internal");
        env.put("PREFIX", "prod");
        env.put("DB", "shop_eu");
        JobConfig set = parse(yaml, env);
        assertEquals("mysql.internal", set.source.host);
        assertEquals("prod-shop-changes", set.target.topic);
        assertEquals(List.of("shop_eu.orders", "shop.customers"), set.objects.include);
    }

    @Test
    void envPlaceholderWorksForNumericKeys() {
        String yaml = EXAMPLE.replace("port: 3306", "port: ${DB_PORT:-3307}")
                .replace("serverId: 5401", "serverId: ${SERVER_ID}");
        JobConfig c = parse(yaml, Map.of("SLUICE_MYSQL_PASSWORD", "pw", "SERVER_ID", "6001"));
        assertEquals(3307, c.source.port);
        assertEquals(6001L, c.source.serverId);
    }

    @Test
    void missingEnvVarIsNamed() {
        SluiceException e = fails(EXAMPLE, Map.of());
        assertTrue(e.problem().contains("SLUICE_MYSQL_PASSWORD"), e.problem());
        assertTrue(e.problem().contains("source.password"), e.problem());
        assertTrue(e.fix().contains("SLUICE_MYSQL_PASSWORD"), e.fix());
    }

    @Test
    void unknownKeyIsRejectedWithItsPath() {
        SluiceException e = fails(EXAMPLE.replace("  host:", "  hots:"));
        assertTrue(e.problem().contains("source.hots"), e.problem());
        assertTrue(e.fix().contains("host"), "the fix lists the known keys: " + e.fix());
        assertActionable(e);

        SluiceException top = fails(EXAMPLE + "extra: 1\n");
        assertTrue(top.problem().contains("'extra'"), top.problem());

        SluiceException nested = fails(EXAMPLE + "  mapping:\n    databse: {shop: shop2}\n");
        assertTrue(nested.problem().contains("objects.mapping.databse"), nested.problem());
    }

    @Test
    void missingRequiredKeysAreNamed() {
        assertMissing(EXAMPLE.replace("  serverId: 5401\n", ""), "source.serverId");
        assertMissing(EXAMPLE.replace("  topic: shop-changes\n", ""), "target.topic");
        assertMissing(EXAMPLE.replace("  include: [shop.orders, shop.customers]\n", "  exclude: [shop.x]\n"), "objects.include");
        assertMissing(EXAMPLE.replace("[shop.orders, shop.customers]", "[]"), "objects.include");
        assertMissing(EXAMPLE.replace("name: shop-sync\n", ""), "name");
        assertMissing(EXAMPLE.replace("  name: shop-db\n", ""), "source.name");
        assertMissing(EXAMPLE.replace("  bootstrapServers: kafka-1:9092,kafka-2:9092\n", ""), "target.bootstrapServers");
        assertMissing(EXAMPLE.substring(0, EXAMPLE.indexOf("objects:")), "objects");
    }

    private static void assertMissing(String yaml, String path) {
        SluiceException e = fails(yaml);
        assertTrue(e.problem().contains("'" + path + "'"), "expected '" + path + "' in: " + e.problem());
        assertTrue(e.problem().contains("missing"), e.problem());
        assertActionable(e);
    }

    @Test
    void wrongTypeIsNamedWithItsPath() {
        SluiceException port = fails(EXAMPLE.replace("port: 3306", "port: abc"));
        assertTrue(port.problem().contains("source.port"), port.problem());
        assertTrue(port.problem().contains("abc"), port.problem());
        assertTrue(port.problem().contains("integer"), port.problem());
        assertActionable(port);

        SluiceException list = fails(EXAMPLE.replace("[shop.orders, shop.customers]", "{a: b}"));
        assertTrue(list.problem().contains("objects.include"), list.problem());

        SluiceException partitionBy = fails(EXAMPLE.replace("  topic: shop-changes\n",
                "  topic: shop-changes\n  partitionBy: random\n"));
        assertTrue(partitionBy.problem().contains("target.partitionBy"), partitionBy.problem());

        SluiceException format = fails(EXAMPLE.replace("  topic: shop-changes\n", "  topic: shop-changes\n  format: avro\n"));
        assertTrue(format.problem().contains("target.format") && format.problem().contains("expected dtsAvro, canalJson or debeziumJson"),
                format.problem());
    }

    @Test
    void formatSpellings() {
        assertEquals(JobConfig.Format.DTS_AVRO, parse(EXAMPLE, Map.of("SLUICE_MYSQL_PASSWORD", "pw")).target.format);
        assertEquals(JobConfig.Format.CANAL_JSON,
                parse(EXAMPLE.replace("  topic: shop-changes\n", "  topic: shop-changes\n  format: canal-json\n"), Map.of("SLUICE_MYSQL_PASSWORD", "pw")).target.format);
        JobConfig d = parse(EXAMPLE.replace("  topic: shop-changes\n",
                "  topic: shop-changes\n  format: debeziumJson\n  debezium: {schemas: false}\n"), Map.of("SLUICE_MYSQL_PASSWORD", "pw"));
        assertEquals(JobConfig.Format.DEBEZIUM_JSON, d.target.format);
        assertEquals(false, d.target.debezium.schemas);
    }

    @Test
    void valuesAreValidated() {
        SluiceException id = fails(EXAMPLE.replace("serverId: 5401", "serverId: 0"));
        assertTrue(id.problem().contains("source.serverId"), id.problem());
        SluiceException port = fails(EXAMPLE.replace("port: 3306", "port: 70000"));
        assertTrue(port.problem().contains("source.port"), port.problem());
        SluiceException topic = fails(EXAMPLE.replace("topic: shop-changes", "topic: shop changes"));
        assertTrue(topic.problem().contains("target.topic"), topic.problem());
        SluiceException table = fails(EXAMPLE.replace("shop.customers]", "customers]"));
        assertTrue(table.problem().contains("objects.include[1]"), table.problem());
        assertTrue(table.problem().contains("customers"), table.problem());
    }

    @Test
    void partitionByAcceptsItsSpellings() {
        for (String s : List.of("primaryKey", "primary_key", "pk", "PRIMARY-KEY")) {
            JobConfig c = parse(EXAMPLE.replace("  topic: shop-changes\n", "  topic: shop-changes\n  partitionBy: " + s + "\n"),
                    Map.of("SLUICE_MYSQL_PASSWORD", "pw"));
            assertEquals(JobConfig.Partitioning.PRIMARY_KEY, c.target.partitionBy, s);
        }
    }

    @Test
    void onTruncateIsWarnByDefaultAndAcceptsStop() {
        Map<String, String> env = Map.of("SLUICE_MYSQL_PASSWORD", "pw");
        assertEquals(JobConfig.OnTruncate.WARN, parse(EXAMPLE, env).source.onTruncate);
        JobConfig stop = parse(EXAMPLE.replace("  serverId: 5401\n", "  serverId: 5401\n  onTruncate: stop\n"), env);
        assertEquals(JobConfig.OnTruncate.STOP, stop.source.onTruncate);

        SluiceException wrong = fails(EXAMPLE.replace("  serverId: 5401\n", "  serverId: 5401\n  onTruncate: ignore\n"));
        assertTrue(wrong.problem().contains("source.onTruncate"), wrong.problem());
        assertActionable(wrong);
        SluiceException empty = fails(EXAMPLE.replace("  serverId: 5401\n", "  serverId: 5401\n  onTruncate:\n"));
        assertTrue(empty.problem().contains("source.onTruncate"), empty.problem());
    }

    // ---------------------------------------------------------------- target.ddl

    private static String withDdl(String ddlBlock) {
        return EXAMPLE.replace("  topic: shop-changes\n", "  topic: shop-changes\n" + ddlBlock);
    }

    @Test
    void ddlRecordsAreOffByDefault() {
        JobConfig c = parse(EXAMPLE, Map.of("SLUICE_MYSQL_PASSWORD", "pw"));
        assertFalse(c.target.ddl.enabled);
        assertEquals(null, c.target.ddl.topic);
    }

    @Test
    void ddlRecordsGoToTheMainTopicOrTheirOwn() {
        Map<String, String> env = Map.of("SLUICE_MYSQL_PASSWORD", "pw");
        JobConfig main = parse(withDdl("  ddl:\n    enabled: true\n"), env);
        assertTrue(main.target.ddl.enabled);
        assertEquals("shop-changes", main.target.ddl.topicOr(main.target.topic));

        JobConfig own = parse(withDdl("  ddl: {enabled: true, topic: shop-ddl}\n"), env);
        assertTrue(own.target.ddl.enabled);
        assertEquals("shop-ddl", own.target.ddl.topicOr(own.target.topic));
    }

    @Test
    void ddlSettingsAreValidated() {
        SluiceException unknown = fails(withDdl("  ddl: {enable: true}\n"));
        assertTrue(unknown.problem().contains("target.ddl.enable"), unknown.problem());
        assertTrue(unknown.fix().contains("enabled") && unknown.fix().contains("topic"), unknown.fix());
        assertActionable(unknown);

        SluiceException type = fails(withDdl("  ddl: {enabled: sometimes}\n"));
        assertTrue(type.problem().contains("target.ddl.enabled"), type.problem());

        SluiceException shorthand = fails(withDdl("  ddl: true\n"));
        assertTrue(shorthand.problem().contains("target.ddl"), shorthand.problem());

        SluiceException name = fails(withDdl("  ddl: {enabled: true, topic: \"shop ddl\"}\n"));
        assertTrue(name.problem().contains("target.ddl.topic"), name.problem());
        assertActionable(name);

        SluiceException off = fails(withDdl("  ddl: {topic: shop-ddl}\n"));
        assertTrue(off.problem().contains("target.ddl.topic") && off.problem().contains("enabled is false"), off.problem());
        assertTrue(off.fix().contains("target.ddl.enabled: true"), off.fix());
        assertActionable(off);

        SluiceException checkpoints = fails(withDdl("  ddl: {enabled: true, topic: shop-changes-sluice-checkpoints}\n"));
        assertTrue(checkpoints.problem().contains("target.ddl.topic") && checkpoints.problem().contains("checkpoint"),
                checkpoints.problem());

        SluiceException empty = fails(withDdl("  ddl:\n"));
        assertTrue(empty.problem().contains("target.ddl"), empty.problem());
    }

    private static String withSsl(String ssl) {
        return EXAMPLE.replace("  serverId: 5401\n", "  serverId: 5401\n  ssl: " + ssl + "\n");
    }

    @Test
    void sourceTlsIsPreferredByDefaultAndTakesEveryModeAndItsFiles() {
        JobConfig plain = parse(EXAMPLE, Map.of("SLUICE_MYSQL_PASSWORD", "pw"));
        assertEquals(JobConfig.SslMode.PREFERRED, plain.source.ssl.mode);
        assertEquals(null, plain.source.ssl.ca);
        for (String spelling : List.of("disabled", "PREFERRED", "required", "verifyCa", "verify_ca", "VERIFY-IDENTITY", "verifyIdentity")) {
            assertNotNull(parse(withSsl("{mode: " + spelling + "}"), Map.of("SLUICE_MYSQL_PASSWORD", "pw")).source.ssl.mode, spelling);
        }
        JobConfig c = parse(withSsl("{mode: verifyIdentity, ca: /etc/ca.pem, cert: /etc/client.pem, key: /etc/client-key.pem}"),
                Map.of("SLUICE_MYSQL_PASSWORD", "pw"));
        assertEquals(JobConfig.SslMode.VERIFY_IDENTITY, c.source.ssl.mode);
        assertEquals("/etc/ca.pem", c.source.ssl.ca);
        assertEquals("/etc/client.pem", c.source.ssl.cert);
        assertEquals("/etc/client-key.pem", c.source.ssl.key);
        // a client certificate is also sent where the server's is not checked (REQUIRE X509 accounts)
        assertEquals("/etc/client.pem", parse(withSsl("{mode: required, cert: /etc/client.pem, key: /etc/k.pem}"),
                Map.of("SLUICE_MYSQL_PASSWORD", "pw")).source.ssl.cert);
    }

    @Test
    void sourceTlsSettingsThatWouldDoNothingAreRejected() {
        SluiceException mode = fails(withSsl("{mode: verify}"));
        assertTrue(mode.problem().contains("source.ssl.mode") && mode.problem().contains("verifyIdentity"), mode.problem());
        assertActionable(mode);

        SluiceException keyless = fails(withSsl("{mode: required, cert: /etc/client.pem}"));
        assertTrue(keyless.problem().contains("source.ssl.key"), keyless.problem());
        assertActionable(keyless);

        SluiceException certless = fails(withSsl("{mode: required, key: /etc/k.pem}"));
        assertTrue(certless.problem().contains("source.ssl.cert"), certless.problem());

        SluiceException unchecked = fails(withSsl("{mode: required, ca: /etc/ca.pem}"));
        assertTrue(unchecked.problem().contains("source.ssl.ca") && unchecked.fix().contains("verifyCa"), unchecked.oneLine());
        assertActionable(unchecked);

        SluiceException disabled = fails(withSsl("{mode: disabled, cert: /etc/c.pem, key: /etc/k.pem}"));
        assertTrue(disabled.problem().contains("disabled"), disabled.problem());
        assertActionable(disabled);

        SluiceException unknown = fails(withSsl("{mode: required, sslCa: /etc/ca.pem}"));
        assertTrue(unknown.problem().contains("source.ssl.sslCa"), unknown.problem());
    }

    @Test
    void notAMappingOrNotYaml() {
        SluiceException list = fails("- a\n- b\n");
        assertTrue(list.problem().contains("mapping"), list.problem());
        SluiceException syntax = fails("name: [unclosed\n");
        assertTrue(syntax.problem().contains("not valid YAML"), syntax.problem());
        assertActionable(syntax);
    }

    @Test
    void sluiceExceptionCarriesProblemAndFix() {
        SluiceException e = new SluiceException("the topic does not exist", "create it");
        assertEquals("the topic does not exist", e.problem());
        assertEquals("the topic does not exist", e.getMessage());
        assertEquals("create it", e.fix());
        assertEquals("the topic does not exist Fix: create it", e.oneLine());
        assertEquals("no fix", new SluiceException("no fix", null).oneLine());
        RuntimeException cause = new RuntimeException("x");
        assertEquals(cause, new SluiceException("p", "f", cause).getCause());
    }

    @Test
    void statusBindsToThisMachineUnlessToldOtherwise() {
        assertEquals("127.0.0.1", parse(EXAMPLE, Map.of("SLUICE_MYSQL_PASSWORD", "pw")).status.bindAddress);
        JobConfig c = parse(EXAMPLE + "status:\n  httpPort: 8080\n  bindAddress: 0.0.0.0\n", Map.of("SLUICE_MYSQL_PASSWORD", "pw"));
        assertEquals(8080, c.status.httpPort);
        assertEquals("0.0.0.0", c.status.bindAddress);
    }

    @Test
    void statusAuthTokenIsReadAndMaskedInErrors() {
        assertEquals(null, parse(EXAMPLE, Map.of("SLUICE_MYSQL_PASSWORD", "pw")).status.authToken);
        JobConfig c = parse(EXAMPLE + "status:\n  authToken: ${TOKEN}\n", Map.of("SLUICE_MYSQL_PASSWORD", "pw", "TOKEN", "t0ken-x"));
        assertEquals("t0ken-x", c.status.authToken);
        assertEquals("status:\n  authToken: ****\nnear '****'",
                ConfigSecrets.mask("status:\n  authToken: abc-123\nnear 'abc-123'", "status:\n  authToken: abc-123\n"));
    }

    @Test
    void backtickedNamesAreAcceptedInIncludeExcludeAndMapping() {
        JobConfig c = parse(EXAMPLE.replace("include: [shop.orders, shop.customers]",
                "include: ['`db.x`.`t.y`', '`a``b`.*']\n  exclude: ['`db.x`.`t.*z`']\n"
                        + "  mapping:\n    databases: {'`db.x`': out}\n    tables: {'`db.x`.`t.y`': '`o.d`.t'}\n"
                        + "    columns: {'`db.x`.`t.y`': {'`c.1`': c1}}"), Map.of("SLUICE_MYSQL_PASSWORD", "pw"));
        assertEquals(List.of("`db.x`.`t.y`", "`a``b`.*"), c.objects.include);
    }

    @Test
    void malformedBacktickedNamesNameTheKey() {
        SluiceException e = fails(EXAMPLE.replace("include: [shop.orders, shop.customers]", "include: ['`db.x.t']"));
        assertTrue(e.problem().contains("objects.include[0]") && e.problem().contains("backtick"), e.problem());
        assertActionable(e);
        e = fails(EXAMPLE.replace("include: [shop.orders, shop.customers]",
                "include: [a.b]\n  mapping: {databases: {'`x': y}}"));
        assertTrue(e.problem().contains("objects.mapping.databases"), e.problem());
        assertActionable(e);
    }

    @Test
    void aKeyWrittenTwiceIsAnErrorNamingItsPath() {
        SluiceException top = fails(EXAMPLE + "name: other\n");
        assertTrue(top.problem().contains("key 'name' is written twice"), top.problem());
        assertActionable(top);
        SluiceException nested = fails(EXAMPLE.replace("  topic: shop-changes\n", "  topic: shop-changes\n  topic: other\n"));
        assertTrue(nested.problem().contains("key 'target.topic' is written twice"), nested.problem());
        assertTrue(nested.problem().contains("line "), nested.problem());
        SluiceException deep = fails(EXAMPLE + "  mapping:\n    tables:\n      shop.a: x.a\n      shop.a: y.a\n");
        assertTrue(deep.problem().contains("key 'objects.mapping.tables.shop.a' is written twice"), deep.problem());
    }

    @Test
    void aTimeoutOfZeroIsRefusedNotTakenAsNoTimeout() {
        SluiceException e = fails(EXAMPLE.replace("  serverId: 5401\n", "  serverId: 5401\n  connectTimeoutSeconds: 0\n"));
        assertTrue(e.problem().contains("source.connectTimeoutSeconds"), e.problem());
        assertActionable(e);
    }

    @Test
    void aBadEnumValueListsTheAcceptedValuesAndNoClassName() {
        SluiceException e = fails(EXAMPLE.replace("  topic: shop-changes\n", "  topic: shop-changes\n  partitionBy: tables\n"));
        assertEquals("job.yaml: key 'target.partitionBy' has value 'tables', expected none, table or primaryKey", e.problem());
        assertActionable(e);
        for (String yaml : List.of(
                EXAMPLE.replace("  topic: shop-changes\n", "  topic: shop-changes\n  delivery: [x]\n"),
                EXAMPLE.replace("  serverId: 5401\n", "  serverId: 5401\n  schemaMismatch: maybe\n"),
                EXAMPLE.replace("  topic: shop-changes\n", "  topic: shop-changes\n  delivery: exactly\n"))) {
            SluiceException bad = fails(yaml);
            assertFalse(bad.oneLine().contains("io.sluice") || bad.oneLine().contains("$") || bad.oneLine().contains("_ONCE"),
                    bad.oneLine());
            assertTrue(bad.problem().contains("expected"), bad.problem());
        }
    }

    @Test
    void errorsQuotingTheJobFileMaskSecrets() {
        // A literal password that is not valid YAML: the parser quotes its line in the error.
        SluiceException e = fails(EXAMPLE.replace("${SLUICE_MYSQL_PASSWORD}", "%Zq7-secret!"));
        assertTrue(e.problem().contains("not valid YAML"), e.problem());
        assertFalse(e.oneLine().contains("Zq7-secret"), e.oneLine());
        assertTrue(e.oneLine().contains("password: ****") || !e.oneLine().contains("password:"), e.oneLine());

        String producerSecrets = EXAMPLE.replace("  topic: shop-changes", """
                  topic: shop-changes
                  producer:
                    ssl.truststore.password: tr0ub4dor&3
                    sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required password="s3cr3t-jaas";
                    broken: [unclosed
                """.stripTrailing());
        SluiceException p = fails(producerSecrets);
        assertFalse(p.oneLine().contains("tr0ub4dor") || p.oneLine().contains("s3cr3t-jaas"), p.oneLine());

        // the rest of a quoted line is the value; a known value is masked wherever it appears
        assertEquals("line 7:\n    password: ****\n    ^\nssl.key.password=****\n  sasl.jaas.config: ****\nnear '****'",
                ConfigSecrets.mask("line 7:\n    password: hunter22 x\n    ^\nssl.key.password=a b\n  sasl.jaas.config: c d;\nnear 'hunter22 x'",
                        "source:\n  password: hunter22 x\n"));
        assertEquals("user: sluice, passwords are masked", ConfigSecrets.mask("user: sluice, passwords are masked", ""));
    }
}
