package dev.bifrost.bench;

import dev.bifrost.testsupport.TableChecksum;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL's own logical replication on the same servers: one publication {@code FOR TABLE raw.registros} on
 * thordb and one subscription in each target server, into databases of their own ({@code mjolnirdb_native},
 * {@code stormbreakerdb_native}) whose {@code raw.registros} is created with the source's columns, types and
 * primary key. Subscriptions keep their defaults (initial copy, {@code synchronous_commit = off}, like Bifrost's
 * apply sessions).
 */
final class NativeReplicator implements Replicator {

    private static final String PUBLICATION = "bench_native";

    private static final String SOURCE_COLUMNS = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_attribute a
            WHERE a.attrelid = 'raw.registros'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""";

    private final Settings settings;
    private final Databases db;

    NativeReplicator(Settings settings, Databases db) {
        this.settings = settings;
        this.db = db;
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public List<Target> targets() {
        return List.of(new Target("mjolnir", settings.pgPort() + 1, "mjolnirdb_native"),
                new Target("stormbreaker", settings.pgPort() + 2, "stormbreakerdb_native"));
    }

    private static String subscription(Target target) {
        return "bench_native_" + target.name();
    }

    /**
     * Creates the target databases, and lowers {@code wal_retrieve_retry_interval} on the target servers from 5 s
     * to 200 ms: the launcher starts a worker at most once per interval, so an {@code ENABLE} shortly after the
     * last start would otherwise wait up to 5 s, which says nothing about the replication rate.
     */
    @Override
    public void prepare() throws Exception {
        for (Target target : targets()) {
            Target server = new Target(target.name(), target.port(), "postgres");
            db.execute(server, "ALTER SYSTEM SET wal_retrieve_retry_interval = '200ms'", "SELECT pg_reload_conf()");
            try (Connection c = db.connect(server);
                    PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, target.database());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        try (Statement s = c.createStatement()) {
                            s.execute("CREATE DATABASE " + Databases.quote(target.database()));
                        }
                    }
                }
            }
        }
    }

    @Override
    public void reset(String phase) throws Exception {
        teardown();
        String ddl = targetTableDdl();
        for (Target target : targets()) {
            db.execute(target, "DROP SCHEMA IF EXISTS raw CASCADE", "CREATE SCHEMA raw", ddl);
        }
        db.execute(db.source(), "DROP PUBLICATION IF EXISTS " + PUBLICATION,
                "CREATE PUBLICATION " + PUBLICATION + " FOR TABLE raw.registros");
    }

    /** The source table's columns, types, NOT NULLs and primary key (no defaults: the subscriber gets every value). */
    private String targetTableDdl() throws SQLException {
        List<String> definitions = new ArrayList<>();
        try (Connection c = db.connect(db.source())) {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SOURCE_COLUMNS)) {
                while (rs.next()) {
                    definitions.add(Databases.quote(rs.getString(1)) + " " + rs.getString(2)
                            + (rs.getBoolean(3) ? " NOT NULL" : ""));
                }
            }
            List<String> key = TableChecksum.primaryKey(c, "raw", "registros");
            definitions.add("PRIMARY KEY (" + String.join(", ", key.stream().map(Databases::quote).toList()) + ")");
        }
        return "CREATE TABLE raw.registros (" + String.join(", ", definitions) + ")";
    }

    @Override
    public void start() throws Exception {
        for (Target target : targets()) {
            db.execute(target, "CREATE SUBSCRIPTION " + subscription(target) + " CONNECTION "
                    + Databases.literal(db.sourceConninfo()) + " PUBLICATION " + PUBLICATION);
        }
    }

    /** Every subscribed table is in state {@code r} (ready) and the apply worker runs, on every target. */
    @Override
    public void awaitReady() throws Exception {
        Wait.until("subscriptions ready (initial copy done, apply workers running)", settings.timeout(120, 600),
                Duration.ofMillis(100), () -> {
                    List<String> pending = new ArrayList<>();
                    for (Target target : targets()) {
                        try (Connection c = db.connect(target); Statement s = c.createStatement();
                                ResultSet rs = s.executeQuery("""
                                        SELECT (SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'),
                                               (SELECT count(*) FROM pg_subscription_rel),
                                               (SELECT count(*) FROM pg_stat_subscription
                                                WHERE relid IS NULL AND pid IS NOT NULL)""")) {
                            rs.next();
                            if (rs.getLong(1) > 0 || rs.getLong(2) == 0 || rs.getLong(3) == 0) {
                                pending.add(target + ": " + rs.getLong(1) + " of " + rs.getLong(2)
                                        + " tables not ready, apply worker " + (rs.getLong(3) == 0 ? "not " : "")
                                        + "running");
                            }
                        }
                    }
                    return pending.isEmpty() ? null : String.join("; ", pending);
                });
    }

    /** {@code ALTER SUBSCRIPTION ... DISABLE}, then waits until no worker runs and no walsender holds a slot. */
    @Override
    public void pauseApply() throws Exception {
        for (Target target : targets()) {
            db.execute(target, "ALTER SUBSCRIPTION " + subscription(target) + " DISABLE");
        }
        awaitSlotsReleased();
    }

    @Override
    public void resumeApply() throws Exception {
        for (Target target : targets()) {
            db.execute(target, "ALTER SUBSCRIPTION " + subscription(target) + " ENABLE");
        }
    }

    @Override
    public long capturedChanges() {
        return -1;
    }

    @Override
    public Map<String, Object> startFigures(long startedAt) {
        return Map.of();
    }

    /**
     * Drops the subscriptions (which drops their slots on thordb); if that fails, detaches the slot from the
     * subscription and drops it on thordb directly.
     */
    @Override
    public void teardown() throws Exception {
        for (Target target : targets()) {
            String name = subscription(target);
            if (!subscriptionExists(target, name)) {
                continue;
            }
            try {
                db.execute(target, "DROP SUBSCRIPTION " + name);
            } catch (SQLException e) {
                Log.info("DROP SUBSCRIPTION " + name + " failed (" + e.getMessage() + "); dropping its slot separately");
                db.execute(target, "ALTER SUBSCRIPTION " + name + " DISABLE",
                        "ALTER SUBSCRIPTION " + name + " SET (slot_name = NONE)", "DROP SUBSCRIPTION " + name);
            }
        }
        awaitSlotsReleased();
        try (Connection c = db.connect(db.source()); Statement s = c.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                    + "WHERE starts_with(slot_name, 'bench_native_') OR slot_name ~ '^pg_[0-9]+_sync_'");
        }
    }

    private boolean subscriptionExists(Target target, String name) throws SQLException {
        try (Connection c = db.connect(target);
                PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_subscription WHERE subname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            if ("3D000".equals(e.getSQLState())) { // the database does not exist yet
                return false;
            }
            throw e;
        }
    }

    private void awaitSlotsReleased() throws Exception {
        Wait.until("native replication slots on thordb released", settings.timeout(60, 0), Duration.ofMillis(100),
                () -> {
                    try (Connection c = db.connect(db.source()); Statement s = c.createStatement();
                            ResultSet rs = s.executeQuery("SELECT string_agg(slot_name || ' (walsender ' || active_pid "
                                    + "|| ')', ', ') FROM pg_replication_slots WHERE active AND "
                                    + "(starts_with(slot_name, 'bench_native_') OR slot_name ~ '^pg_[0-9]+_sync_')")) {
                        rs.next();
                        String active = rs.getString(1);
                        return active == null ? null : "still active: " + active;
                    }
                });
    }
}
