package io.sluice.it.support;

import java.nio.file.Path;

/** Job files for tests. */
public final class JobYaml {

    private JobYaml() {}

    public static String of(String name, MySqlServer server, String topic, Path stateDir, String include, long serverId) {
        return of(name, server, Servers.kafkaBootstrap(), topic, stateDir, include, serverId);
    }

    /** A job writing to the brokers at {@code bootstrap}. */
    public static String of(String name, MySqlServer server, String bootstrap, String topic, Path stateDir, String include,
                            long serverId) {
        return of(name, server, bootstrap, topic, stateDir, include, serverId, null);
    }

    /** @param producer extra {@code target.producer} properties as a YAML flow mapping's inside ({@code k: v, ...}), or null */
    public static String of(String name, MySqlServer server, String bootstrap, String topic, Path stateDir, String include,
                            long serverId, String producer) {
        return """
                name: %s
                source:
                  name: %s
                  host: %s
                  port: %d
                  user: %s
                  password: %s
                  serverId: %d
                target:
                  bootstrapServers: %s
                  topic: %s
                %sobjects:
                  include: [%s]
                state:
                  dir: %s
                """.formatted(name, server.flavor().server, server.host(), server.port(), MySqlServer.SLUICE_USER,
                MySqlServer.SLUICE_PASSWORD, serverId, bootstrap, topic,
                producer == null ? "" : "  producer: {" + producer + "}\n", include, stateDir);
    }
}
