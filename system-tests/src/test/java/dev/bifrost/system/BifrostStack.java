package dev.bifrost.system;

import static org.awaitility.Awaitility.await;

import dev.bifrost.testsupport.PostgresServer;
import dev.bifrost.testsupport.TableChecksum;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The whole system for a test, as in production: one PostgreSQL server per database (ThorDB and the two
 * targets, so that one target can be stopped alone), a real Kafka broker (in-JVM KRaft), and both services
 * as separate processes, with management credentials.
 */
final class BifrostStack implements AutoCloseable {

    static final String THORDB = "thordb";
    static final List<String> TARGETS = List.of("mjolnirdb", "stormbreakerdb");
    static final List<String> SCHEMAS = List.of("raw", "refined");

    static final String ADMIN_USER = "admin";
    static final String ADMIN_PASSWORD = java.util.UUID.randomUUID().toString();

    final PostgresServer postgres;
    final Map<String, PostgresServer> targets = new java.util.LinkedHashMap<>();
    final EmbeddedKafkaKraftBroker kafka;
    final ServiceProcess capture;
    final ServiceProcess apply;

    BifrostStack() {
        this(Map.of());
    }

    /** With extra environment variables for capture-service (Spring's relaxed binding of its properties). */
    BifrostStack(Map<String, String> captureEnvironment) {
        postgres = PostgresServer.start(THORDB);
        postgres.createDatabase(THORDB);
        for (String target : TARGETS) {
            PostgresServer server = PostgresServer.start(target);
            server.createDatabase(target);
            targets.put(target, server);
        }
        kafka = new EmbeddedKafkaKraftBroker(1, 1);
        kafka.afterPropertiesSet();
        String bootstrap = kafka.getBrokersAsString();
        Map<String, String> captureEnv = new java.util.HashMap<>(captureEnvironment);
        captureEnv.putAll(Map.of(
                "THORDB_HOST", "127.0.0.1",
                "THORDB_PORT", Integer.toString(postgres.port()),
                "THORDB_DB", THORDB,
                "THORDB_USER", PostgresServer.USER,
                "THORDB_PASSWORD", "unused-with-trust-auth",
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "BIFROST_ADMIN_USER", ADMIN_USER,
                "BIFROST_ADMIN_PASSWORD", ADMIN_PASSWORD));
        capture = new ServiceProcess("capture-service", "bifrost.captureJar", PostgresServer.freePort(), captureEnv);
        apply = new ServiceProcess("apply-service", "bifrost.applyJar", PostgresServer.freePort(), Map.of(
                "MJOLNIRDB_URL", targets.get("mjolnirdb").jdbcUrl("mjolnirdb"),
                "MJOLNIRDB_USER", PostgresServer.USER,
                "STORMBREAKERDB_URL", targets.get("stormbreakerdb").jdbcUrl("stormbreakerdb"),
                "STORMBREAKERDB_USER", PostgresServer.USER,
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "BIFROST_ADMIN_USER", ADMIN_USER,
                "BIFROST_ADMIN_PASSWORD", ADMIN_PASSWORD));
    }

    /** Starts both services and waits until they are healthy. */
    void startServices() {
        capture.start();
        apply.start();
        capture.awaitHealthy();
        apply.awaitHealthy();
    }

    /** Runs the statements in one transaction on the connection. */
    static void exec(Connection c, String... statements) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (java.sql.Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
        c.commit();
        c.setAutoCommit(autoCommit);
    }

    Connection source() throws SQLException {
        return postgres.connect(THORDB);
    }

    Connection target(String database) throws SQLException {
        return targets.get(database).connect(database);
    }

    /** Waits until every table of the captured schemas is identical, row for row, on both targets. */
    void awaitTargetsEqualSource(Duration atMost) {
        await("both targets equal the source").atMost(atMost).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    List<String> differences = differences();
                    if (!differences.isEmpty()) {
                        throw new AssertionError("targets differ from the source: " + differences);
                    }
                });
    }

    /** Every table whose checksum differs between the source and a target. */
    List<String> differences() throws SQLException {
        return differences(TARGETS);
    }

    /**
     * Every table whose checksum differs between the source and one of the given targets, whose columns differ
     * (the target's {@code replicated_at} aside), or that a target has and the source does not.
     */
    List<String> differences(List<String> targetDatabases) throws SQLException {
        List<String> differences = new ArrayList<>();
        try (Connection source = source()) {
            for (String schema : SCHEMAS) {
                List<String> sourceTables = TableChecksum.tables(source, schema);
                for (String table : sourceTables) {
                    List<String> columns = TableChecksum.columns(source, schema, table);
                    List<String> key = TableChecksum.primaryKey(source, schema, table);
                    String expected = TableChecksum.checksum(source, schema, table, columns, key);
                    for (String target : targetDatabases) {
                        String actual;
                        try (Connection t = target(target)) {
                            if (!TableChecksum.tables(t, schema).contains(table)) {
                                actual = "missing";
                            } else {
                                List<String> targetColumns = new ArrayList<>(TableChecksum.columns(t, schema, table));
                                if (!columns.contains("replicated_at")) {
                                    targetColumns.remove("replicated_at");
                                }
                                actual = targetColumns.equals(columns)
                                        ? TableChecksum.checksum(t, schema, table, columns, key)
                                        : "columns " + targetColumns + " instead of " + columns;
                            }
                        } catch (SQLException notCaughtUpYet) {
                            // a column the target does not have yet, say
                            actual = notCaughtUpYet.getMessage();
                        }
                        if (!expected.equals(actual)) {
                            differences.add(target + ":" + schema + "." + table + " " + actual + " != " + expected);
                        }
                    }
                }
                for (String target : targetDatabases) {
                    try (Connection t = target(target)) {
                        for (String table : TableChecksum.tables(t, schema)) {
                            if (!sourceTables.contains(table)) {
                                differences.add(target + ":" + schema + "." + table + " exists, not on the source");
                            }
                        }
                    }
                }
            }
        }
        return differences;
    }

    @Override
    public void close() throws Exception {
        apply.close();
        capture.close();
        kafka.destroy();
        postgres.close();
        for (PostgresServer server : targets.values()) {
            server.close();
        }
    }
}
