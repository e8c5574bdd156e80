package dev.bifrost.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A source table as the changes in one changelog record see it.
 *
 * @param schema  source schema name
 * @param name    source table name
 * @param columns every column, in source order; {@link RowChange#row()} values follow this order
 */
public record TableSchema(String schema, String name, List<Column> columns) {

    public TableSchema {
        columns = List.copyOf(columns);
    }

    /** Positions in {@link #columns()} of the primary-key columns, in key order. */
    public int[] keyIndexes() {
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).primaryKey()) {
                keys.add(i);
            }
        }
        return keys.stream().mapToInt(Integer::intValue).toArray();
    }

    public String qualifiedName() {
        return schema + "." + name;
    }
}
