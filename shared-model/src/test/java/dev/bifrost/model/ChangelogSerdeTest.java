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
