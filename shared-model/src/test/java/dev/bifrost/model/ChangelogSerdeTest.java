package dev.bifrost.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangelogSerdeTest {

    private final ChangelogSerde serde = new ChangelogSerde();

    private static final TableSchema TABLE = new TableSchema("raw", "my \"table\"", List.of(
            new Column("id", "bigint", false, true),
            new Column("name", "character varying(100)", true, false),
            new Column("data", "jsonb", true, false)));

    @Test
    void roundTripsEveryKindOfChange() {
        ChangelogRecord record = new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.TRANSACTION, 4711L,
                3, true, 123_456_789_012L, 1_700_000_000_123_456L, List.of(TABLE), List.of(
                        RowChange.insert(0, new String[] {"1", "São Paulo \"quoted\" \\ \n tab\t", null}),
                        RowChange.update(0, new String[] {"2", null, null}, new int[] {2}),
                        RowChange.delete(0, new String[] {"3"}),
                        RowChange.truncate(0)));

        ChangelogRecord read = serde.deserialize(serde.serialize(record));

        assertThat(read).isEqualTo(record);
        assertThat(read.changes().get(0).row()).containsExactly("1", "São Paulo \"quoted\" \\ \n tab\t", null);
        assertThat(read.changes().get(1).unchanged()).containsExactly(2);
        assertThat(read.tables().get(0).keyIndexes()).containsExactly(0);
    }

    @Test
    void roundTripsSchemaChangesAtTheirPositionsWithTheSourceIdentities() {
        TableSchema before = new TableSchema("raw", "t", List.of(
                new Column("id", "bigint", false, true, 1, null, null),
                new Column("old name", "integer", true, false, 2, null, null)), 16384);
        TableSchema after = new TableSchema("raw", "t2", List.of(
                new Column("id", "bigint", false, true, 1, null, null),
                new Column("new \"name\"", "bigint", false, false, 2, null, null),
                new Column("added", "text", true, false, 4, null, "it's a default"),
                new Column("twice", "bigint", true, false, 5, "(id * 2)", null)), 16384);
        ChangelogRecord record = new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.TRANSACTION, 7L, 0,
                true, 99L, 5L, List.of(before, after), List.of(RowChange.insert(0, new String[] {"1", "2"}),
                        RowChange.insert(1, new String[] {"2", "3", null, null})), null,
                List.of(new SchemaChange(1, before, after), new SchemaChange(2, null, TABLE),
                        new SchemaChange(2, TABLE, null)));

        ChangelogRecord read = serde.deserialize(serde.serialize(record));

        assertThat(read).isEqualTo(record);
        assertThat(read.schemaChanges().get(0).after().columns().get(3).generated()).isEqualTo("(id * 2)");
        assertThat(read.schemaChanges().get(0).after().columns().get(2).missing()).isEqualTo("it's a default");
        assertThat(read.schemaChanges().get(0).before().oid()).isEqualTo(16384);
        assertThatThrownBy(() -> new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.TRANSACTION, 7L, 0,
                true, 99L, 5L, List.of(), List.of(), null, List.of(new SchemaChange(1, before, after))))
                .as("a schema change past the changes").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheTablesOfVersion2Records() {
        String v2 = "{\"v\":2,\"k\":\"T\",\"x\":1,\"s\":0,\"l\":true,\"lsn\":5,\"ts\":6,"
                + "\"t\":[[\"raw\",\"t\",[[\"id\",\"bigint\",false,true],[\"v\",\"text\",true,false]]]],"
                + "\"c\":[[0,\"I\",null,[\"1\",\"a\"],[]]]}";

        ChangelogRecord read = serde.deserialize(v2.getBytes(StandardCharsets.UTF_8));

        assertThat(read.tables().get(0)).isEqualTo(new TableSchema("raw", "t", List.of(
                new Column("id", "bigint", false, true), new Column("v", "text", true, false))));
        assertThat(read.schemaChanges()).isEmpty();
    }

    @Test
    void roundTripsHeartbeatsSchemaAnnouncementsAndSnapshotChunks() {
        ChangelogRecord heartbeat = ChangelogRecord.heartbeat(99L, 1_700_000_000_000_000L);
        ChangelogRecord snapshot = new ChangelogRecord(ChangelogSerde.VERSION, ChangelogRecord.Kind.SNAPSHOT, 7, 0,
                false, 0, 5, List.of(TABLE), List.of(RowChange.insert(0, new String[] {"1", "a", "{}"})));

        assertThat(serde.deserialize(serde.serialize(heartbeat))).isEqualTo(heartbeat);
        assertThat(serde.deserialize(serde.serialize(snapshot))).isEqualTo(snapshot);
        ChangelogRecord schema = ChangelogRecord.schema(List.of(TABLE), 5);
        assertThat(serde.deserialize(serde.serialize(schema))).isEqualTo(schema);
    }

    @Test
    void carriesCopyRowsUnescapedAfterTheHeader() {
        byte[] rows = "1\tSão Paulo\\ttab\t\\N\n2\t\\N\t{\"a\": \"b\\nc\"}\n".getBytes(StandardCharsets.UTF_8);
        ChangelogRecord chunk = ChangelogRecord.snapshotRows(7, 3, 5, TABLE, new CopyRows(2, rows));

        byte[] wire = serde.serialize(chunk);
        ChangelogRecord read = serde.deserialize(wire);

        assertThat(read).isEqualTo(chunk);
        assertThat(read.copy().data()).isEqualTo(rows);
        assertThat(new String(wire, StandardCharsets.UTF_8)).endsWith("\n" + new String(rows, StandardCharsets.UTF_8));
        assertThatThrownBy(() -> serde.deserialize(java.util.Arrays.copyOf(wire, wire.length - 1)))
                .isInstanceOf(ChangelogFormatException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void rejectsANewerFormatVersionWithAnExplanation() {
        byte[] newer = "{\"v\":99,\"k\":\"H\",\"x\":0,\"s\":0,\"l\":true,\"lsn\":1,\"ts\":1,\"t\":[],\"c\":[]}"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> serde.deserialize(newer))
                .isInstanceOf(ChangelogFormatException.class)
                .hasMessageContaining("version 99")
                .hasMessageContaining("upgrade apply-service");
    }

    @Test
    void rejectsGarbageAndTruncatedRecords() {
        byte[] whole = serde.serialize(ChangelogRecord.heartbeat(1, 1));
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> serde.deserialize("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ChangelogFormatException.class);
        assertThatThrownBy(() -> serde.deserialize(truncated)).isInstanceOf(ChangelogFormatException.class);
        assertThatThrownBy(() -> serde.deserialize("{\"x\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ChangelogFormatException.class)
                .hasMessageContaining("version or kind");
        assertThatThrownBy(() -> serde.deserialize(
                "{\"v\":1,\"k\":\"T\",\"c\":[[0,\"X\",null,null,[]]]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ChangelogFormatException.class)
                .hasMessageContaining("unknown row operation 'X'");
    }
}
