package dev.bifrost.apply.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bifrost.model.Column;
import dev.bifrost.model.RowChange;
import dev.bifrost.model.TableSchema;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChangeBufferTest {

    private static final TableSchema T = new TableSchema("raw", "t", List.of(
            new Column("id", "bigint", false, true),
            new Column("a", "text", true, false),
            new Column("b", "text", true, false)));

    private final ChangeBuffer buffer = new ChangeBuffer();

    private Map<String, String> state(String table) {
        ChangeBuffer.TableChanges changes = buffer.tables().stream()
                .filter(t -> t.schema.qualifiedName().equals(table)).findFirst().orElseThrow();
        return changes.rows.entrySet().stream().collect(Collectors.toMap(
                e -> String.join(",", e.getKey().values()),
                e -> e.getValue().isDelete() ? "DELETE"
                        : String.join("|", java.util.Arrays.stream(e.getValue().values)
                                .map(String::valueOf).toList()) + " unchanged="
                                + java.util.Arrays.toString(e.getValue().unchanged)));
    }

    @Test
    void keepsOnlyTheLastStateOfEachKey() {
        buffer.add(T, RowChange.insert(0, new String[] {"1", "x", "y"}), 1);
        buffer.add(T, RowChange.update(0, new String[] {"1", "x2", "y2"}, new int[0]), 2);
        buffer.add(T, RowChange.insert(0, new String[] {"2", "p", "q"}), 3);
        buffer.add(T, RowChange.delete(0, new String[] {"2"}), 4);

        assertThat(state("raw.t")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "1", "1|x2|y2 unchanged=[]",
                "2", "DELETE"));
        assertThat(buffer.size()).isEqualTo(2);
    }

    @Test
    void anUnchangedToastedValueKeepsTheEarlierValueInsteadOfNull() {
        buffer.add(T, RowChange.insert(0, new String[] {"1", "a", "big toasted value"}), 1);
        buffer.add(T, RowChange.update(0, new String[] {"1", "a2", null}, new int[] {2}), 2);

        assertThat(state("raw.t")).containsEntry("1", "1|a2|big toasted value unchanged=[]");
    }

    @Test
    void anUnchangedValueWithNothingEarlierStaysMarkedSoItIsNotWritten() {
        buffer.add(T, RowChange.update(0, new String[] {"1", "a", null}, new int[] {2}), 1);
        buffer.add(T, RowChange.update(0, new String[] {"1", null, "b"}, new int[] {1}), 2);

        assertThat(state("raw.t")).containsEntry("1", "1|a|b unchanged=[]");
        buffer.add(T, RowChange.update(0, new String[] {"1", null, null}, new int[] {1, 2}), 3);
        assertThat(state("raw.t")).containsEntry("1", "1|a|b unchanged=[]");
    }

    @Test
    void aPrimaryKeyChangeDeletesTheOldKeyAndUpsertsTheNewOne() {
        buffer.add(T, RowChange.insert(0, new String[] {"1", "a", "b"}), 1);
        buffer.add(T, RowChange.delete(0, new String[] {"1"}), 2);
        buffer.add(T, RowChange.insert(0, new String[] {"100", "a", "b"}), 2);

        assertThat(state("raw.t")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "1", "DELETE",
                "100", "100|a|b unchanged=[]"));
    }

    @Test
    void truncateDropsEarlierChangesAndKeepsLaterOnes() {
        buffer.add(T, RowChange.insert(0, new String[] {"1", "a", "b"}), 1);
        buffer.add(T, RowChange.truncate(0), 2);
        buffer.add(T, RowChange.insert(0, new String[] {"2", "c", "d"}), 3);

        ChangeBuffer.TableChanges t = buffer.tables().iterator().next();
        assertThat(t.truncate).isTrue();
        assertThat(state("raw.t")).containsExactly(Map.entry("2", "2|c|d unchanged=[]"));
        assertThat(buffer.size()).isEqualTo(1);
    }

    @Test
    void rowsPendingWhenATableGainsAColumnDoNotOverwriteIt() {
        TableSchema wider = new TableSchema("raw", "t", List.of(
                new Column("id", "bigint", false, true),
                new Column("a", "text", true, false),
                new Column("b", "text", true, false),
                new Column("c", "int", true, false)));
        buffer.add(T, RowChange.insert(0, new String[] {"1", "a", "b"}), 1);
        buffer.add(wider, RowChange.insert(0, new String[] {"2", "a", "b", "7"}), 2);

        assertThat(state("raw.t")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "1", "1|a|b|null unchanged=[3]",
                "2", "2|a|b|7 unchanged=[]"));
    }

    @Test
    void aKeylessTablesChangesAreKeptInOrderWithTheirOldRows() {
        TableSchema keyless = new TableSchema("raw", "log", List.of(new Column("msg", "text", true, false)));
        buffer.add(keyless, RowChange.insert(0, new String[] {"same"}), 1);
        buffer.add(keyless, RowChange.insert(0, new String[] {"same"}), 2);
        buffer.add(keyless, new RowChange(0, RowChange.Op.UPDATE, new String[] {"same"}, new String[] {"other"},
                new int[0]), 3);
        buffer.add(keyless, RowChange.delete(0, new String[] {"same"}), 4);

        ChangeBuffer.TableChanges t = buffer.tables().iterator().next();
        assertThat(buffer.size()).as("nothing coalesced: equal rows are distinct rows").isEqualTo(4);
        assertThat(t.keylessEdits).isTrue();
        assertThat(t.rows.values()).extracting(p -> p.op + " " + java.util.Arrays.toString(p.old) + " -> "
                + java.util.Arrays.toString(p.values)).containsExactly("INSERT null -> [same]",
                "INSERT null -> [same]", "UPDATE [same] -> [other]", "DELETE [same] -> [same]");
        // regression: a keyless update without its old row (REPLICA IDENTITY DEFAULT on the source) cannot be
        // applied to one row, and says what to do
        assertThatThrownBy(() -> buffer.add(keyless, RowChange.update(0, new String[] {"x"}, new int[0]), 5))
                .isInstanceOf(UnappliableChangeException.class)
                .hasMessageContaining("raw.log has no primary key").hasMessageContaining("REPLICA IDENTITY FULL");
    }

    @Test
    void aKeyIsFreshOnlyWhenItsFirstChangeInTheBufferIsAnInsert() {
        buffer.add(T, RowChange.insert(0, new String[] {"1", "a", "b"}), 1);
        buffer.add(T, RowChange.update(0, new String[] {"1", "c", "d"}, new int[0]), 1);
        buffer.add(T, RowChange.update(0, new String[] {"2", "e", "f"}, new int[0]), 1);
        buffer.add(T, RowChange.delete(0, new String[] {"3"}), 1);
        buffer.add(T, RowChange.insert(0, new String[] {"3", "g", "h"}), 1);
        buffer.add(T, RowChange.insert(0, new String[] {"4", "i", "j"}), 1);
        buffer.add(T, RowChange.delete(0, new String[] {"4"}), 1);
        buffer.add(T, RowChange.insert(0, new String[] {"4", "k", "l"}), 1);

        Map<String, Boolean> fresh = buffer.tables().iterator().next().rows.entrySet().stream().collect(
                Collectors.toMap(e -> e.getKey().values()[0], e -> e.getValue().fresh));
        assertThat(fresh).as("1 inserted then updated; 2 existed; 3 existed (deleted, then inserted again); "
                + "4 inserted, deleted, inserted again").containsExactlyInAnyOrderEntriesOf(
                        Map.of("1", true, "2", false, "3", false, "4", true));
    }
}
