package dev.bifrost.apply.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bifrost.model.ChangelogRecord;
import dev.bifrost.model.ChangelogSerde;
import dev.bifrost.model.Column;
import dev.bifrost.model.CopyRows;
import dev.bifrost.model.RowChange;
import dev.bifrost.model.TableSchema;
import dev.bifrost.testsupport.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
import org.postgresql.PGConnection;

/**
 * The apply side's transaction handling against a real target: position stored with the data, duplicate
 * transactions discarded by commit LSN, restarted transactions, large transactions spilled under a
 * savepoint, unchanged TOASTed values, dead letters.
 */
class ApplySessionIT {

    private static final String TOPIC = "thordb.changelog";
    private static final TableSchema T = new TableSchema("raw", "t", List.of(
            new Column("id", "bigint", false, true),
            new Column("name", "character varying(20)", true, false),
            new Column("doc", "text", true, false)));

    private static PostgresServer postgres;
    private final ChangelogSerde serde = new ChangelogSerde();
    private Connection connection;
    private ApplySession session;
    private long offset;
    private String database;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start("apply");
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    @BeforeEach
    void openSession() throws SQLException {
        String name = "target" + System.nanoTime();
        database = name;
        postgres.createDatabase(name);
        connection = postgres.connect(name);
        session = newSession(connection, 3);
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private static ApplySession newSession(Connection c, int spill) throws SQLException {
        ApplySession s = new ApplySession(c, TOPIC, 0, spill, new ApplyStats("t", new SimpleMeterRegistry()));
        s.open();
        return s;
    }

    @Test
    void storesItsPositionWithTheDataAndDiscardsATransactionSeenAgain() throws Exception {
        feed(tx(1, 100, 0, true, RowChange.insert(0, row(1, "a", "x"))));
        feed(tx(2, 200, 0, true, RowChange.insert(0, row(2, "b", "y"))));
        session.commit();

        try (Connection second = postgres.connect(connection.getCatalog())) {
            assertThatThrownBy(() -> newSession(second, 3)).as("one applier per target at a time")
                    .isInstanceOf(SQLException.class).hasMessageContaining("another apply-service instance");
        }
        connection.close();
        connection = postgres.connect(database);
        session = newSession(connection, 3);
        try (var rs = connection.createStatement().executeQuery(
                "SELECT next_offset, last_commit_lsn FROM bifrost.apply_position")) {
            rs.next();
            assertThat(new ApplySession.Position(rs.getLong(1), rs.getLong(2)))
                    .isEqualTo(new ApplySession.Position(offset, 200));
        }

        // the capture side restarted and published transaction 2 again, with other content to tell them apart
        feed(tx(2, 200, 0, true, RowChange.insert(0, row(2, "changed", "y"))));
        session.commit();
        assertThat(rows()).containsExactly("1|a|x", "2|b|y");
    }

    @Test
    void aTransactionThatStartsAgainDropsItsEarlierChunks() throws Exception {
        feed(tx(5, 0, 0, false, RowChange.insert(0, row(1, "a", null))));
        feed(tx(5, 0, 1, false, RowChange.insert(0, row(99, "garbage", null))));
        feed(tx(5, 0, 0, false, RowChange.insert(0, row(1, "a", null))));
        feed(tx(5, 500, 1, true, RowChange.insert(0, row(2, "b", null))));
        session.commit();

        assertThat(rows()).containsExactly("1|a|null", "2|b|null");
    }

    @Test
    void aLargeDuplicateTransactionIsRolledBackToItsSavepoint() throws Exception {
        feed(tx(1, 100, 0, true, RowChange.insert(0, row(1, "kept", null))));
        // larger than the spill threshold (3): written in pieces before its end is seen
        feed(tx(1, 100, 0, false, RowChange.insert(0, row(10, "dup", null)), RowChange.insert(0, row(11, "dup", null)),
                RowChange.insert(0, row(12, "dup", null))));
        feed(tx(1, 100, 1, true, RowChange.insert(0, row(13, "dup", null))));
        feed(tx(3, 300, 0, false, RowChange.insert(0, row(20, "big", null)), RowChange.insert(0, row(21, "big", null)),
                RowChange.insert(0, row(22, "big", null))));
        feed(tx(3, 300, 1, true, RowChange.delete(0, new String[] {"20"})));
        session.commit();

        assertThat(rows()).containsExactly("1|kept|null", "21|big|null", "22|big|null");
    }

    @Test
    void anUnchangedToastedValueIsNotOverwrittenAndTruncateComesFirst() throws Exception {
        feed(tx(1, 100, 0, true, RowChange.insert(0, row(1, "a", "big value")),
                RowChange.insert(0, row(2, "b", "other"))));
        session.commit();
        feed(tx(2, 200, 0, true, RowChange.update(0, row(1, "a2", null), new int[] {2})));
        session.commit();
        assertThat(rows()).containsExactly("1|a2|big value", "2|b|other");

        feed(tx(3, 300, 0, true, RowChange.insert(0, row(3, "c", null)), RowChange.truncate(0),
                RowChange.insert(0, row(4, "d", null))));
        session.commit();
        assertThat(rows()).containsExactly("4|d|null");
    }

    @Test
    void aNewColumnIsAddedToTheTargetTable() throws Exception {
        TableSchema wider = new TableSchema("raw", "t", List.of(T.columns().get(0), T.columns().get(1),
                T.columns().get(2), new Column("extra", "numeric(10,2)", true, false)));
        feed(tx(1, 100, 0, true, RowChange.insert(0, row(1, "a", null))));
        feed(new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.TRANSACTION, 2, 0, true, 200, 1,
                List.of(wider), List.of(RowChange.insert(0, new String[] {"2", "b", null, "12.50"}))));
        session.commit();

        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT id, extra, replicated_at IS NOT NULL FROM raw.t ORDER BY id")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getBoolean(3));
            }
            assertThat(out).containsExactly("1|null|true", "2|12.50|true");
        }
    }

    @Test
    void anUnreadableRecordGoesToTheDeadLetterStoreAndTheRestFlows() throws Exception {
        session.accept(offset++, 0, "{not a changelog record".getBytes(StandardCharsets.UTF_8));
        feed(tx(1, 100, 0, true, RowChange.insert(0, row(1, "a", null))));
        session.commit();

        assertThat(rows()).containsExactly("1|a|null");
        assertThat(deadLetters()).singleElement().asString().contains("not a readable changelog record");
    }

    @Test
    void aTransactionWithAnUnreadableChunkGoesWholeToTheDeadLetterStore() throws Exception {
        feed(tx(1, 100, 0, true, RowChange.insert(0, row(1, "before", null))));
        feed(tx(2, 200, 0, false, RowChange.insert(0, row(2, "half", null))));
        session.accept(offset++, 0, "{corrupt".getBytes(StandardCharsets.UTF_8));
        feed(tx(2, 200, 2, true, RowChange.insert(0, row(3, "half", null))));
        // a transaction whose first chunk is unreadable: its later chunks cannot be applied either
        session.accept(offset++, 0, "{corrupt too".getBytes(StandardCharsets.UTF_8));
        feed(tx(3, 300, 1, true, RowChange.insert(0, row(4, "orphan", null))));
        feed(tx(4, 400, 0, true, RowChange.insert(0, row(5, "after", null))));
        session.commit();

        assertThat(rows()).as("prefix-consistent: no part of transactions 2 and 3").containsExactly(
                "1|before|null", "5|after|null");
        assertThat(deadLetters()).hasSize(5)
                .anySatisfy(l -> assertThat(l).contains("transaction 2 not applied").contains("half"))
                .anySatisfy(l -> assertThat(l).contains("chunk 1 of transaction 3").contains("orphan"))
                .anySatisfy(l -> assertThat(l).contains("not a readable changelog record"));
    }

    @Test
    void aChangeThatCannotBeAppliedFailsTheBatchAndInCarefulModeGoesAloneToTheDeadLetterStore() throws Exception {
        ChangelogRecord bad = tx(1, 100, 0, true, RowChange.insert(0, row(1, "a", null)),
                RowChange.insert(0, new String[] {"2", "a name far longer than twenty characters", null}),
                RowChange.insert(0, new String[] {"not-a-number", "c", null}));
        session = newSession(connection, 100);
        assertThatThrownBy(() -> {
            feed(bad);
            session.commit();
        }).isInstanceOf(SQLException.class).satisfies(e -> assertThat(SqlErrors.isRetriable(e)).isFalse());
        connection.rollback();

        session = newSession(connection, 100);
        session.careful(true);
        offset = 0;
        feed(bad);
        session.commit();

        // varchar(20) truncates on an explicit cast, as PostgreSQL does; the bad number cannot be applied
        assertThat(rows()).containsExactly("1|a|null", "2|a name far longer th|null");
        assertThat(deadLetters()).singleElement().asString().contains("not-a-number");
    }

    @Test
    void aTableSetAsideTakesItsLaterChangesToTheDeadLetterStoreInOrderAndStaysSetAsideAfterARestart()
            throws Exception {
        TableSchema other = new TableSchema("raw", "other", List.of(new Column("id", "bigint", false, true),
                new Column("v", "text", true, false)));
        ChangelogRecord bad = new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.TRANSACTION, 1, 0,
                true, 100, 1_700_000_000_000_000L, List.of(T, other), List.of(
                        RowChange.insert(0, row(1, "a", null)),
                        RowChange.insert(0, new String[] {"not-a-number", "b", null}),
                        RowChange.insert(1, new String[] {"1", "other table"})));
        session = newSession(connection, 100);
        session.careful(true);
        session.setAsideFailingTables(true);
        feed(bad);
        // after the failing change: a change of the same table that would apply, and one of another table
        feed(tx(2, 200, 0, true, RowChange.update(0, row(1, "later", null), new int[0])));
        session.careful(false);
        feed(new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.TRANSACTION, 3, 0, true, 300,
                1_700_000_000_000_000L, List.of(other), List.of(RowChange.insert(0, new String[] {"2", "x"}))));
        session.commit();

        assertThat(rows()).as("raw.t as the source held it before the change that failed").containsExactly("1|a|null");
        assertThat(deadLetters()).hasSize(2).satisfies(l -> assertThat(l.get(0)).contains("not-a-number"))
                .satisfies(l -> assertThat(l.get(1)).contains("table set aside").contains("later"));
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM raw.other")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the other table goes on").isEqualTo(2);
        }
        connection.commit();

        session = newSession(connection, 100);
        feed(tx(4, 400, 0, true, RowChange.insert(0, row(9, "after a restart", null))));
        session.commit();
        assertThat(rows()).containsExactly("1|a|null");
        assertThat(deadLetters()).hasSize(3);
    }

    @Test
    void newRowsGoInByCopyOnceAndARowTheTargetHeldAlreadyIsUpsertedInstead() throws Exception {
        session = newSession(connection, 100_000);
        List<RowChange> first = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int id = 1; id <= 200; id++) {
            String doc = id % 5 == 0 ? null : "tab\there, newline\nthere, back\\slash \\N \"quoted\" " + id;
            first.add(RowChange.insert(0, row(id, "n" + id, doc)));
            expected.add(id + "|n" + id + "|" + doc);
        }
        // inserted, updated and deleted in the same transaction: only the last insert's state remains
        first.add(RowChange.insert(0, row(500, "gone", null)));
        first.add(RowChange.update(0, row(500, "changed", "x"), new int[0]));
        first.add(RowChange.delete(0, new String[] {"500"}));
        first.add(RowChange.insert(0, row(500, "again", "y")));
        expected.add("500|again|y");
        feed(tx(1, 100, 0, true, first.toArray(RowChange[]::new)));
        session.commit();
        assertThat(rows()).containsExactlyElementsOf(expected);
        // keys new to the target are inserted once (by COPY), not inserted and then upserted over; the
        // session's backend reports its statistics once idle outside a transaction
        connection.commit();
        try (Connection other = postgres.connect(database); Statement s = other.createStatement()) {
            org.awaitility.Awaitility.await("the apply session's table statistics").atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> tableStat(s, "n_tup_ins") >= 201);
            assertThat(tableStat(s, "n_tup_ins")).as("rows inserted").isEqualTo(201);
            assertThat(tableStat(s, "n_tup_upd")).as("rows updated").isZero();
        }

        // a row written to the target by hand, under a key the source is about to insert
        try (Connection other = postgres.connect(database); Statement s = other.createStatement()) {
            s.execute("INSERT INTO raw.t (id, name) VALUES (1000, 'by hand')");
        }
        List<RowChange> second = new ArrayList<>();
        for (int id = 901; id <= 1100; id++) {
            second.add(RowChange.insert(0, row(id, "m" + id, null)));
            expected.add(id + "|m" + id + "|null");
        }
        feed(tx(2, 200, 0, true, second.toArray(RowChange[]::new)));
        session.commit();
        assertThat(rows()).containsExactlyElementsOf(expected);
    }

    @Test
    void aSnapshotChunkThatCopyCannotLoadIsSplitInCarefulModeAndOnlyTheBadRowsAreSetAside() throws Exception {
        feed(tx(1, 100, 0, true, RowChange.insert(0, row(100, "stale", null))));
        session.commit();
        try (Statement s = connection.createStatement()) {
            s.execute("ALTER TABLE raw.t ADD CONSTRAINT no_bad_names CHECK (name IS DISTINCT FROM 'bad')");
        }
        connection.commit();
        // the chunk as the capture sends it: PostgreSQL's own COPY text, awkward values included
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        connection.unwrap(PGConnection.class).getCopyAPI().copyOut("""
                COPY (SELECT i::bigint, CASE WHEN i IN (2, 13) THEN 'bad' WHEN i = 4 THEN '' ELSE 'n' || i END,
                    CASE i WHEN 1 THEN E'tab\\there, newline\\nthere' WHEN 3 THEN E'back\\\\slash \\\\N ção'
                        WHEN 13 THEN 'set aside' END
                    FROM generate_series(1, 20) i) TO STDOUT""", copied);
        connection.commit();
        ChangelogRecord snapshot = new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.SNAPSHOT, 7, 0,
                true, 500, 1_700_000_000_000_000L, List.of(T), List.of(), new CopyRows(20, copied.toByteArray()));
        List<String> expected = new ArrayList<>();
        for (int id = 1; id <= 20; id++) {
            String doc = id == 1 ? "tab\there, newline\nthere" : id == 3 ? "back\\slash \\N ção" : null;
            if (id != 2 && id != 13) {
                expected.add(id + "|" + (id == 4 ? "" : "n" + id) + "|" + doc);
            }
        }

        assertThatThrownBy(() -> feed(snapshot)).isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(SqlErrors.isRetriable(e)).isFalse());
        connection.rollback();

        session = newSession(connection, 3);
        session.careful(true);
        feed(snapshot);
        session.commit();

        assertThat(rows()).as("the snapshot replaced the stale row; the bad ones alone are missing")
                .containsExactlyElementsOf(expected);
        assertThat(deadLetters()).hasSize(2).allSatisfy(l -> assertThat(l).contains("no_bad_names"))
                .anySatisfy(l -> assertThat(l).contains("set aside"));
    }

    @Test
    void aSnapshotReplacesEachTableWholeStampsItsRowsAndLeavesNoDefaultBehind() throws Exception {
        feed(tx(1, 100, 0, true, RowChange.insert(0, row(100, "stale", null))));
        session.commit();
        TableSchema empty = new TableSchema("raw", "e", List.of(new Column("id", "bigint", false, true)));
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE raw.e (id bigint PRIMARY KEY, replicated_at timestamptz)");
            s.execute("INSERT INTO raw.e VALUES (1, now()), (2, now())");
        }
        connection.commit();
        long micros = 1_700_000_000_000_000L;
        // as the capture sends it: the chunks of two workers interleaved, an empty table as an empty chunk
        feed(snapshotChunk(0, T, "1\tone\t\\N\n2\ttwo\tx\n", micros));
        feed(snapshotChunk(1, empty, "", micros));
        feed(snapshotChunk(2, T, "3\tthree\t\\N\n", micros));
        feed(new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.SNAPSHOT, 9, 3, true, 500, micros,
                List.of(), List.of()));
        session.commit();

        assertThat(rows()).containsExactly("1|one|null", "2|two|x", "3|three|null");
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM raw.t "
                    + "WHERE replicated_at IS DISTINCT FROM to_timestamp(1700000000)")) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows stamped with the snapshot time").isZero();
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM raw.e")) {
                rs.next();
                assertThat(rs.getLong(1)).as("an empty source table empties its target table").isZero();
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT table_name FROM information_schema.columns
                    WHERE table_schema = 'raw' AND column_name = 'replicated_at' AND column_default IS NOT NULL""")) {
                assertThat(rs.next()).as("a default left on replicated_at").isFalse();
            }
        }
    }

    @Test
    void aFirstSnapshotChunkSetAsideWholeInCarefulModeLeavesTheNextOneToEmptyAndStampTheTable() throws Exception {
        feed(tx(1, 100, 0, true, RowChange.insert(0, row(100, "stale", null))));
        session.commit();
        try (Statement s = connection.createStatement()) {
            // a failure of the table itself (SQLSTATE class 42), raised after TRUNCATE and SET DEFAULT ran
            s.execute("""
                    CREATE FUNCTION raw.refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.name = 'boom' THEN
                            RAISE EXCEPTION 'refused' USING ERRCODE = '42501';
                        END IF;
                        RETURN NEW;
                    END $$""");
            s.execute("CREATE TRIGGER refuse BEFORE INSERT ON raw.t FOR EACH ROW EXECUTE FUNCTION raw.refuse()");
        }
        connection.commit();
        long micros = 1_700_000_000_000_000L;
        session.careful(true);
        feed(snapshotChunk(0, T, "1\tboom\t\\N\n2\ttwo\t\\N\n", micros));
        feed(snapshotChunk(1, T, "3\tthree\tx\n", micros));
        feed(new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.SNAPSHOT, 9, 2, true, 500, micros,
                List.of(), List.of()));
        session.commit();

        assertThat(rows()).as("the stale row is gone though the first chunk's TRUNCATE was rolled back")
                .containsExactly("3|three|x");
        assertThat(deadLetters()).hasSize(1).allSatisfy(l -> assertThat(l).contains("refused"));
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT replicated_at = to_timestamp(1700000000) FROM raw.t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).as("stamped with the snapshot time").isTrue();
            }
            try (ResultSet rs = s.executeQuery("""
                    SELECT 1 FROM information_schema.columns
                    WHERE table_schema = 'raw' AND column_name = 'replicated_at' AND column_default IS NOT NULL""")) {
                assertThat(rs.next()).as("a default left on replicated_at").isFalse();
            }
        }
    }

    private static ChangelogRecord snapshotChunk(int seq, TableSchema table, String copyText, long micros) {
        byte[] data = copyText.getBytes(StandardCharsets.UTF_8);
        int rows = (int) copyText.chars().filter(ch -> ch == '\n').count();
        return ChangelogRecord.snapshotRows(9, seq, micros, table, new CopyRows(rows, data));
    }

    @Test
    void snapshotLinesThatDoNotFitTheTableAreSetAsideAsTheyCameInCarefulMode() throws Exception {
        byte[] twoColumns = "1\ta\n2\tb\n".getBytes(StandardCharsets.UTF_8);
        ChangelogRecord snapshot = new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.SNAPSHOT, 7, 0,
                true, 500, 1_700_000_000_000_000L, List.of(T), List.of(), new CopyRows(2, twoColumns));
        session.careful(true);
        feed(snapshot);
        session.commit();

        assertThat(rows()).isEmpty();
        assertThat(deadLetters()).hasSize(2).allSatisfy(l -> assertThat(l).contains("missing data for column")
                .contains("holds 2 values where the table has 3 columns"))
                .anySatisfy(l -> assertThat(l).endsWith("1\ta\n")).anySatisfy(l -> assertThat(l).endsWith("2\tb\n"));
    }

    private static long tableStat(Statement s, String column) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT " + column + " FROM pg_stat_user_tables "
                + "WHERE schemaname = 'raw' AND relname = 't'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void feed(ChangelogRecord record) throws SQLException {
        session.accept(offset++, System.currentTimeMillis(), serde.serialize(record));
    }

    private static ChangelogRecord tx(long xid, long lsn, int seq, boolean last, RowChange... changes) {
        return new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.TRANSACTION, xid, seq, last, lsn,
                1_700_000_000_000_000L, List.of(T), List.of(changes));
    }

    private static String[] row(long id, String name, String doc) {
        return new String[] {Long.toString(id), name, doc};
    }

    private List<String> rows() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, name, doc FROM raw.t ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return out;
    }

    private List<String> deadLetters() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT reason || ' ' || coalesce(convert_from(payload, 'UTF8'), '') FROM bifrost.dead_letter ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
