package dev.bifrost.model;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One row change. Values are PostgreSQL text representations, {@code null} for SQL NULL.
 *
 * @param table     index into {@link ChangelogRecord#tables()}
 * @param op        the operation
 * @param key       for {@link Op#DELETE}: the primary-key values in key order; otherwise null
 * @param row       for {@link Op#INSERT} and {@link Op#UPDATE}: every column value in table order; otherwise null
 * @param unchanged for {@link Op#UPDATE}: positions of columns whose value did not change and was not
 *                  sent (unchanged TOASTed values); their {@code row} entry is null and must not be written
 */
public record RowChange(int table, Op op, @Nullable String @Nullable [] key, @Nullable String @Nullable [] row,
        int[] unchanged) {

    private static final int[] NONE = new int[0];

    public static RowChange insert(int table, @Nullable String[] row) {
        return new RowChange(table, Op.INSERT, null, row, NONE);
    }

    public static RowChange update(int table, @Nullable String[] row, int[] unchanged) {
        return new RowChange(table, Op.UPDATE, null, row, unchanged);
    }

    public static RowChange delete(int table, @Nullable String[] key) {
        return new RowChange(table, Op.DELETE, key, null, NONE);
    }

    public static RowChange truncate(int table) {
        return new RowChange(table, Op.TRUNCATE, null, null, NONE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowChange other && table == other.table && op == other.op
                && Arrays.equals(key, other.key) && Arrays.equals(row, other.row)
                && Arrays.equals(unchanged, other.unchanged);
    }

    @Override
    public int hashCode() {
        return Objects.hash(table, op, Arrays.hashCode(key), Arrays.hashCode(row), Arrays.hashCode(unchanged));
    }

    @Override
    public String toString() {
        return "RowChange[" + table + " " + op + " key=" + Arrays.toString(key) + " row=" + Arrays.toString(row)
                + " unchanged=" + Arrays.toString(unchanged) + "]";
    }

    /** Row operations. The apply side writes inserts and updates alike, as upserts of the new row. */
    public enum Op {
        INSERT, UPDATE, DELETE, TRUNCATE;

        public boolean isUpsert() {
            return this == INSERT || this == UPDATE;
        }
    }
}
