package dev.bifrost.capture.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bifrost.capture.ThorDatabase;
import dev.bifrost.model.ChangelogRecord;
import dev.bifrost.model.RowChange;
import dev.bifrost.testsupport.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How Debezium's records become changelog chunks, and which records may be committed: only the one that
 * closes a transaction (END, the last snapshot record) or a heartbeat outside a transaction. Column types
 * come from a real catalog.
 */
class TransactionAssemblerIT {

    private static PostgresServer postgres;
    private static SourceCatalog catalog;
    private static ShapeHistory history;

    private static final Schema ROW = SchemaBuilder.struct().name("thordb.raw.t.Value")
            .field("id", Schema.INT64_SCHEMA).field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("doc", Schema.OPTIONAL_STRING_SCHEMA).optional().build();
    private static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("schema", Schema.STRING_SCHEMA).field("table", Schema.STRING_SCHEMA)
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA).field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA).field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().name("thordb.raw.t.Envelope")
            .field("before", ROW).field("after", ROW).field("source", SOURCE).field("op", Schema.STRING_SCHEMA)
            .build();
    private static final Schema TX = SchemaBuilder.struct().field("status", Schema.STRING_SCHEMA)
            .field("id", Schema.STRING_SCHEMA).build();
    private static final Schema HEARTBEAT = SchemaBuilder.struct().field("ts_ms", Schema.INT64_SCHEMA).build();

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start("assembler");
        ThorDatabase thor = ThorDatabase.create(postgres);
        thor.execute("CREATE TABLE raw.t (id bigint PRIMARY KEY, name varchar(40) NOT NULL, doc text)");
        JdbcTemplate jdbc = new JdbcTemplate(thor.dataSource());
        catalog = new SourceCatalog(jdbc);
        history = new ShapeHistory(jdbc);
    }

    @AfterAll
    static void stopPostgres() {
        postgres.close();
    }

    private final TransactionAssembler assembler = new TransactionAssembler(
            new TableShapes(catalog, history, List.of("raw")), new CaptureStats(new SimpleMeterRegistry()), "thordb",
            2, 1 << 20);

    @Test
    void aLargeTransactionIsChunkedAndOnlyItsEndIsACommitPoint() {
        List<TransactionAssembler.Outgoing> out = new ArrayList<>();
        out.addAll(assembler.accept(tx("BEGIN", 42)));
        for (long id = 1; id <= 5; id++) {
            out.addAll(assembler.accept(change("c", 42, null, row(id, "n" + id, "d"), "false")));
        }
        out.addAll(assembler.accept(heartbeat()));
        out.addAll(assembler.accept(end(42, 9_000)));

        assertThat(out).extracting(o -> o.record().seq(), o -> o.record().last(), o -> o.commitPoint())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, false, false),
                        org.assertj.core.groups.Tuple.tuple(1, false, false),
                        org.assertj.core.groups.Tuple.tuple(2, true, true));
        assertThat(out).allSatisfy(o -> assertThat(o.record().xid()).isEqualTo(42));
        assertThat(out.get(2).record().commitLsn()).isEqualTo(9_000);
        assertThat(out.get(0).record().commitLsn()).as("only the last chunk knows the commit LSN").isZero();
        assertThat(out.stream().mapToInt(o -> o.record().changes().size()).sum()).isEqualTo(5);
        assertThat(out.get(0).record().tables().get(0).columns()).extracting(c -> c.name() + " " + c.type()
                + (c.nullable() ? "" : " not null") + (c.primaryKey() ? " pk" : ""))
                .containsExactly("id bigint not null pk", "name character varying(40) not null", "doc text");
    }

    @Test
    void heartbeatsOutsideATransactionAreCommitPointsAndEmptyTransactionsCommitWithoutAChunk() {
        List<TransactionAssembler.Outgoing> idle = assembler.accept(heartbeat());
        assertThat(idle).singleElement().satisfies(o -> {
            assertThat(o.record().kind()).isEqualTo(ChangelogRecord.Kind.HEARTBEAT);
            assertThat(o.commitPoint()).isTrue();
        });

        assembler.accept(tx("BEGIN", 7));
        assertThat(assembler.accept(end(7, 100))).singleElement()
                .satisfies(o -> {
                    assertThat(o.record()).isNull();
                    assertThat(o.commitPoint()).isTrue();
                });
    }

    @Test
    void updatesDeletesAndUnchangedToastedValuesAreCarriedAsSuch() {
        assembler.accept(tx("BEGIN", 8));
        assembler.accept(change("u", 8, null, row(1, "x", ValueText.UNAVAILABLE), "false"));
        assembler.accept(change("d", 8, row(2, null, null), null, "false"));
        List<TransactionAssembler.Outgoing> out = assembler.accept(end(8, 200));

        assertThat(out).singleElement().satisfies(o -> assertThat(o.commitPoint()).isTrue());
        assertThat(out.get(0).record().changes()).containsExactly(
                RowChange.update(0, new String[] {"1", "x", null}, new int[] {2}),
                RowChange.delete(0, new String[] {"2"}));
    }

    @Test
    void aTransactionWithoutItsEndStopsTheEngineInsteadOfBeingDropped() {
        assembler.accept(tx("BEGIN", 9));
        assembler.accept(change("c", 9, null, row(1, "a", null), "false"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assembler.accept(tx("BEGIN", 10)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction 9 had no END");
    }

    @Test
    void aRowMovedToANewKeyWithoutItsToastedValuesKeepsThemMarkedUnchanged() {
        assembler.accept(tx("BEGIN", 11));
        assembler.accept(change("c", 11, null, row(5, "moved", ValueText.UNAVAILABLE), "false"));
        ChangelogRecord record = assembler.accept(end(11, 300)).get(0).record();

        assertThat(record.changes()).containsExactly(
                new RowChange(0, RowChange.Op.INSERT, null, new String[] {"5", "moved", null}, new int[] {2}));
    }

    @Test
    void theSnapshotIsOneTransactionClosedByItsLastRecord() {
        List<TransactionAssembler.Outgoing> out = new ArrayList<>();
        out.addAll(assembler.accept(change("r", 3, null, row(1, "a", null), "first")));
        out.addAll(assembler.accept(change("r", 3, null, row(2, "b", null), "true")));
        out.addAll(assembler.accept(change("r", 3, null, row(3, "c", null), "last")));

        assertThat(out).extracting(o -> o.record().kind(), o -> o.record().last(), o -> o.commitPoint())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ChangelogRecord.Kind.SNAPSHOT, false, false),
                        org.assertj.core.groups.Tuple.tuple(ChangelogRecord.Kind.SNAPSHOT, true, true));
        assertThat(out.get(1).record().commitLsn()).as("the snapshot's position").isEqualTo(500);
    }

    private static Struct row(long id, String name, String doc) {
        return new Struct(ROW).put("id", id).put("name", name).put("doc", doc);
    }

    private static SourceRecord change(String op, long xid, Struct before, Struct after, String snapshot) {
        Struct source = new Struct(SOURCE).put("schema", "raw").put("table", "t").put("txId", xid).put("lsn", 500L)
                .put("ts_ms", 1_700_000_000_000L).put("ts_us", 1_700_000_000_000_123L).put("snapshot", snapshot);
        Struct value = new Struct(ENVELOPE).put("before", before).put("after", after).put("source", source)
                .put("op", op);
        return new SourceRecord(Map.of(), Map.of("lsn", 500L), "thordb.raw.t", null, null, ENVELOPE, value);
    }

    private static SourceRecord tx(String status, long xid) {
        return new SourceRecord(Map.of(), Map.of(), "thordb.transaction", null, null, TX,
                new Struct(TX).put("status", status).put("id", xid + ":123"));
    }

    private static SourceRecord end(long xid, long commitLsn) {
        return new SourceRecord(Map.of(), Map.of("lsn_commit", commitLsn, "ts_usec", 1_700_000_001_000_000L),
                "thordb.transaction", null, null, TX, new Struct(TX).put("status", "END").put("id", xid + ":456"));
    }

    private static SourceRecord heartbeat() {
        return new SourceRecord(Map.of(), Map.of("lsn_commit", 1L), "__debezium-heartbeat.thordb", null, null,
                HEARTBEAT, new Struct(HEARTBEAT).put("ts_ms", 1_700_000_002_000L));
    }
}
