package dev.bifrost.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A source table as the changes in one changelog record see it.
 *
 * @param schema  source schema name
 * @param name    source table name
 * @param columns every column, in source order; {@link RowChange#row()} values follow this order
 * @param oid     the table's identity on the source ({@code pg_class.oid}), which a rename keeps; 0 when unknown
 */
public record TableSchema(String schema, String name, List<Column> columns, long oid) {

    public TableSchema {
        columns = List.copyOf(columns);
    }

    public TableSchema(String schema, String name, List<Column> columns) {
        this(schema, name, columns, 0);
    }

    /** Positions in {@link #columns()} of the replication-key columns, in key order; empty for a keyless table. */
    public int[] keyIndexes() {
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).primaryKey()) {
                keys.add(i);
            }
        }
        return keys.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether the table has no replication key: its updates and deletes carry the whole old row. */
    public boolean keyless() {
        return columns.stream().noneMatch(Column::primaryKey);
    }

    public String qualifiedName() {
        return schema + "." + name;
    }
}
