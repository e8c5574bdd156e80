package dev.bifrost.apply.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bifrost.model.ChangelogRecord;
import dev.bifrost.model.ChangelogSerde;
import dev.bifrost.model.Column;
import dev.bifrost.model.RowChange;
import dev.bifrost.model.SchemaChange;
import dev.bifrost.model.TableSchema;
import dev.bifrost.testsupport.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schema changes applied at their position in the stream, against a real target: the rows before a change
 * have the old shape and those after it the new one, columns and tables matched by their source identity.
 */
class ShapeChangesIT {

    private static final String TOPIC = "thordb.changelog";
    private static final long OID = 16384;

    private static PostgresServer postgres;
    private final ChangelogSerde serde = new ChangelogSerde();
    private Connection connection;
    private ApplySession session;
    private long offset;
    private long lsn = 100;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start("shapes");
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void openSession() throws SQLException {
        String name = "target" + System.nanoTime();
        postgres.createDatabase(name);
        connection = postgres.connect(name);
        session = new ApplySession(connection, TOPIC, 0, 1000, new ApplyStats("t", new SimpleMeterRegistry()));
        session.open();
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private static TableSchema table(String name, Column... columns) {
        return new TableSchema("raw", name, List.of(columns), OID);
    }

    private static Column column(String name, String type, int attnum) {
        return new Column(name, type, true, false, attnum, null, null);
    }

    private static Column key(String name, int attnum) {
        return new Column(name, "integer", false, true, attnum, null, null);
    }

    @Test
    void dropRetypeRenameAndAddEachTakeEffectWhereTheyHappened() throws Exception {
        TableSchema v1 = table("t", key("id", 1), column("a", "integer", 2), column("c", "integer", 3),
                column("s", "text", 4));
        TableSchema v2 = table("t", key("id", 1), column("a", "integer", 2), column("s", "text", 4));
        TableSchema v3 = table("t", key("id", 1), column("a", "bigint", 2), column("s", "text", 4));
        TableSchema v4 = table("t", key("id", 1), column("a", "bigint", 2), column("t", "text", 4));
        TableSchema v5 = table("u", key("id", 1), column("a", "bigint", 2), column("t", "text", 4),
                new Column("d", "text", false, false, 5, null, "it's the default"));
        feed(transaction(List.of(v1), List.of(RowChange.insert(0, new String[] {"1", "1", "10", "s1"}),
                RowChange.insert(0, new String[] {"2", "2", "20", "s2"})), List.of(new SchemaChange(0, null, v1))));
        // a row, the drop, a row in the new shape: one source transaction
        feed(transaction(List.of(v1, v2), List.of(RowChange.insert(0, new String[] {"3", "3", "30", "s3"}),
                RowChange.insert(1, new String[] {"4", "4", "s4"})), List.of(new SchemaChange(1, v1, v2))));
        feed(transaction(List.of(v3), List.of(RowChange.update(0, new String[] {"1", "10000000000", "s1"}, new int[0])),
                List.of(new SchemaChange(0, v2, v3))));
        feed(transaction(List.of(v4), List.of(RowChange.insert(0, new String[] {"5", "5", "t5"})),
                List.of(new SchemaChange(0, v3, v4))));
        feed(transaction(List.of(v5), List.of(RowChange.insert(0, new String[] {"6", "6", "t6", "d6"})),
                List.of(new SchemaChange(0, v4, v5))));
        session.commit();

        assertThat(rows("SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || "
                + "CASE WHEN attnotnull THEN ' not null' ELSE '' END, ', ' ORDER BY attnum) FROM pg_attribute "
                + "WHERE attrelid = 'raw.u'::regclass AND attnum > 0 AND NOT attisdropped"))
                .containsExactly("id integer not null, a bigint, t text, replicated_at timestamp with time zone, "
                        + "d text not null");
        assertThat(rows("SELECT id || ' ' || a || ' ' || t || ' ' || d FROM raw.u ORDER BY id")).containsExactly(
                "1 10000000000 s1 it's the default", "2 2 s2 it's the default", "3 3 s3 it's the default",
                "4 4 s4 it's the default", "5 5 t5 it's the default", "6 6 t6 d6");
        assertThat(rows("SELECT to_regclass('raw.t')::text")).containsExactly((String) null);
    }

    @Test
    void keysFollowTheSourceAndADroppedTableIsDropped() throws Exception {
        TableSchema keyless = table("k", column("x", "integer", 1), column("y", "text", 2));
        TableSchema keyed = table("k", key("x", 1), column("y", "text", 2));
        TableSchema byY = table("k", new Column("x", "integer", false, false, 1, null, null),
                new Column("y", "text", false, true, 2, null, null));
        feed(transaction(List.of(keyless), List.of(RowChange.insert(0, new String[] {"1", "a"}),
                RowChange.insert(0, new String[] {"2", "b"})), List.of(new SchemaChange(0, null, keyless))));
        feed(transaction(List.of(keyed), List.of(RowChange.update(0, new String[] {"1", "a2"}, new int[0])),
                List.of(new SchemaChange(0, keyless, keyed))));
        session.commit();
        assertThat(primaryKey("raw.k")).containsExactly("x");
        feed(transaction(List.of(byY), List.of(RowChange.delete(0, new String[] {"b"})),
                List.of(new SchemaChange(0, keyed, byY))));
        session.commit();
        assertThat(primaryKey("raw.k")).containsExactly("y");
        assertThat(rows("SELECT x || y FROM raw.k")).containsExactly("1a2");
        feed(transaction(List.of(), List.of(), List.of(new SchemaChange(0, byY, null))));
        session.commit();
        assertThat(rows("SELECT to_regclass('raw.k')::text")).containsExactly((String) null);
    }

    @Test
    void aColumnDroppedAndAddedUnderItsNameAndAnExpressionDroppedKeepWhatTheSourceHas() throws Exception {
        TableSchema v1 = table("g", key("id", 1), column("c", "text", 2),
                new Column("twice", "integer", true, false, 3, "(id * 2)", null));
        TableSchema v2 = table("g", key("id", 1), new Column("c", "bigint", true, false, 4, null, "0"),
                column("twice", "integer", 3));
        feed(transaction(List.of(v1), List.of(RowChange.insert(0, new String[] {"1", "x", null}),
                RowChange.insert(0, new String[] {"2", "y", null})), List.of(new SchemaChange(0, null, v1))));
        feed(transaction(List.of(v2), List.of(RowChange.insert(0, new String[] {"3", "7", "5"})),
                List.of(new SchemaChange(0, v1, v2))));
        session.commit();

        assertThat(rows("SELECT id || ' ' || c || ' ' || twice FROM raw.g ORDER BY id"))
                .as("the new c reads 0 on old rows; the computed values stay").containsExactly("1 0 2", "2 0 4", "3 7 5");
    }

    @Test
    void aTransactionSeenAgainWhoseWritesFailBeforeItsLastChunkIsDiscardedNotAFailure() throws Exception {
        session = new ApplySession(connection, TOPIC, 0, 2, new ApplyStats("t", new SimpleMeterRegistry()));
        session.open();
        TableSchema text = table("d", key("id", 1), column("v", "text", 2));
        TableSchema number = table("d", key("id", 1), column("v", "integer", 2));
        ChangelogRecord first = new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.TRANSACTION, 5, 0,
                false, 0, 1, List.of(text), List.of(RowChange.insert(0, new String[] {"1", "abc"}),
                        RowChange.insert(0, new String[] {"2", "def"}), RowChange.insert(0, new String[] {"3", "ghi"})),
                null, List.of(new SchemaChange(0, null, text)));
        ChangelogRecord last = new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.TRANSACTION, 5, 1,
                true, 105, 1, List.of(), List.of());
        feed(first);
        feed(last);
        feed(transaction(List.of(text), List.of(RowChange.update(0, new String[] {"1", "5"}, new int[0]),
                RowChange.delete(0, new String[] {"2"}), RowChange.delete(0, new String[] {"3"})),
                List.of(new SchemaChange(3, text, number))));
        session.commit();
        // published again after a capture restart: its rows no longer fit the table, which is no error
        feed(first);
        feed(last);
        session.commit();

        assertThat(rows("SELECT id || ' ' || v FROM raw.d ORDER BY id")).containsExactly("1 5");
    }

    @Test
    void aSourceColumnAddedUnderTheStampColumnsNameStopsWithAMessageThatSaysSo() throws Exception {
        TableSchema v1 = table("s", key("id", 1));
        TableSchema v2 = table("s", key("id", 1), column("replicated_at", "timestamp with time zone", 2));
        feed(transaction(List.of(v1), List.of(RowChange.insert(0, new String[] {"1"})),
                List.of(new SchemaChange(0, null, v1))));
        session.commit();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> feed(transaction(List.of(v2), List.of(),
                List.of(new SchemaChange(0, v1, v2))))).isInstanceOf(SQLException.class)
                .hasMessageContaining("replicated-at-column").hasMessageContaining("raw.s");
    }

    private List<String> primaryKey(String table) throws SQLException {
        return rows("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                + "AND a.attnum = ANY (i.indkey) WHERE i.indrelid = '" + table + "'::regclass AND i.indisprimary");
    }

    private ChangelogRecord transaction(List<TableSchema> tables, List<RowChange> changes,
            List<SchemaChange> schemaChanges) {
        lsn += 10;
        return new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.TRANSACTION, lsn, 0, true, lsn,
                1_700_000_000_000_000L, tables, changes, null, schemaChanges);
    }

    private void feed(ChangelogRecord record) throws SQLException {
        session.accept(offset++, 0, serde.serialize(record));
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
