package dev.bifrost.apply.deadletter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;

/**
 * Changes that cannot be applied, kept in the target ({@code bifrost.dead_letter}) with their reason and
 * payload. Written in the same transaction as the data and the log position, so a dead letter is recorded
 * exactly once, and nothing is dropped silently.
 */
public final class DeadLetterStore {

    private static final String DDL = """
            CREATE TABLE IF NOT EXISTS bifrost.dead_letter (
                id            bigserial PRIMARY KEY,
                topic         text NOT NULL,
                partition     int NOT NULL,
                record_offset bigint NOT NULL,
                xid           bigint,
                source_table  text,
                operation     text,
                reason        text NOT NULL,
                payload       bytea,
                created_at    timestamptz NOT NULL DEFAULT now()
            )""";

    private static final String INSERT = """
            INSERT INTO bifrost.dead_letter (topic, partition, record_offset, xid, source_table, operation, reason, payload)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";

    /** One dead letter: where it came from, what it was, and why it could not be applied. */
    public record DeadLetter(String topic, int partition, long offset, long xid, @Nullable String sourceTable,
            @Nullable String operation, String reason, byte @Nullable [] payload) {
    }

    public void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(DDL);
        }
    }

    public void write(Connection c, DeadLetter letter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, letter.topic());
            ps.setInt(2, letter.partition());
            ps.setLong(3, letter.offset());
            ps.setLong(4, letter.xid());
            ps.setString(5, letter.sourceTable());
            ps.setString(6, letter.operation());
            ps.setString(7, letter.reason());
            ps.setBytes(8, letter.payload());
            ps.executeUpdate();
        }
    }
}
