package dev.bifrost.capture.refine;

import static dev.bifrost.capture.SqlNames.quote;


import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The bulk path of a fact refresh. PostgreSQL checks a foreign key row by row, one index probe per key per
 * written row: for a million new facts with eight keys that is eight million probes, most of the refresh.
 * When a refresh writes many facts, the table's foreign keys are dropped before the write and added again
 * after it, inside the same transaction: adding a key validates the whole table with one anti-join, and
 * the transaction cannot commit unless every key resolves. Nobody sees the table without its keys (the
 * drop holds an exclusive lock until commit); the change replicates as row changes only.
 */
final class ForeignKeys {

    /** Above this many facts to write, validating once beats checking each row. */
    static final long BULK_ROWS = 100_000;

    private static final String KEYS = """
            SELECT conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE conrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND contype = 'f'
            ORDER BY conname""";

    /** A foreign key and its definition, as {@code pg_get_constraintdef} prints it. */
    record Key(String name, String definition) {
    }

    private final String qualified;
    private final List<Key> keys;

    private ForeignKeys(String qualified, List<Key> keys) {
        this.qualified = qualified;
        this.keys = keys;
    }

    /** Drops the foreign keys of {@code schema.table}; {@link #restore} adds them back. */
    static ForeignKeys drop(Connection c, String schema, String table) throws SQLException {
        List<Key> keys = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(KEYS)) {
            s.setString(1, schema);
            s.setString(2, table);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(new Key(rs.getString(1), rs.getString(2)));
                }
            }
        }
        ForeignKeys dropped = new ForeignKeys(quote(schema) + "." + quote(table), keys);
        try (Statement s = c.createStatement()) {
            for (Key key : keys) {
                s.execute("ALTER TABLE " + dropped.qualified + " DROP CONSTRAINT " + quote(key.name()));
            }
        }
        return dropped;
    }

    /** Adds the keys back, validating every row. */
    void restore(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (Key key : keys) {
                s.execute("ALTER TABLE " + qualified + " ADD CONSTRAINT " + quote(key.name()) + " "
                        + key.definition());
            }
        }
    }
}
