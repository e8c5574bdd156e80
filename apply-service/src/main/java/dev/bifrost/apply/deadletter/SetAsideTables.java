package dev.bifrost.apply.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The tables a target has set aside ({@code bifrost.set_aside}), under the policy {@code on-error: set-aside}:
 * from the first change of a table that the target could not apply, every change of that table goes to the
 * dead-letter store, in order, while the other tables go on. The table then holds the source's state up to that
 * change, and the dead-letter store everything after it. Recorded in the target transaction that sets it aside,
 * so it survives restarts; an operator brings the table back by repairing it (a resync) and deleting its row.
 */
public final class SetAsideTables {

    private static final String DDL = """
            CREATE TABLE IF NOT EXISTS bifrost.set_aside (
                topic         text NOT NULL,
                partition     int NOT NULL,
                source_table  text NOT NULL,
                since_offset  bigint NOT NULL,
                reason        text NOT NULL,
                set_aside_at  timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (topic, partition, source_table)
            )""";

    private static final String LOAD = "SELECT source_table, reason FROM bifrost.set_aside WHERE topic = ? AND partition = ?";

    private static final String INSERT = """
            INSERT INTO bifrost.set_aside (topic, partition, source_table, since_offset, reason)
            VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""";

    private final String topic;
    private final int partition;
    private final Map<String, String> tables = new HashMap<>();

    public SetAsideTables(String topic, int partition) {
        this.topic = topic;
        this.partition = partition;
    }

    /** Creates the table if needed and reads what is set aside. */
    public void open(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(DDL);
        }
        tables.clear();
        try (PreparedStatement ps = c.prepareStatement(LOAD)) {
            ps.setString(1, topic);
            ps.setInt(2, partition);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.put(rs.getString(1), rs.getString(2));
                }
            }
        }
    }

    /** Why the table is set aside; null if it is not. */
    public @Nullable String reason(String table) {
        return tables.get(table);
    }

    /** Sets the table aside from the change at {@code offset} on, in the caller's target transaction. */
    public void add(Connection c, String table, long offset, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, topic);
            ps.setInt(2, partition);
            ps.setString(3, table);
            ps.setLong(4, offset);
            ps.setString(5, reason);
            ps.executeUpdate();
        }
        tables.putIfAbsent(table, reason);
    }

    /** Forgets what was set aside in a target transaction that was rolled back: read again on the next open. */
    public void forget(String table) {
        tables.remove(table);
    }
}
