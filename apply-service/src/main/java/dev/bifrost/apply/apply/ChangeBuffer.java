package dev.bifrost.apply.apply;

import dev.bifrost.model.Column;
import dev.bifrost.model.RowChange;
import dev.bifrost.model.TableSchema;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Row changes coalesced per table and primary key, in the order they happened: only the final state of
 * each key is written. Applied inside one target transaction, the result is the state the source held after
 * the last change added.
 *
 * <ul>
 *   <li>An upsert after an upsert of the same key keeps the earlier values of columns the later one did not
 *       carry (unchanged TOASTed values), so such a value never overwrites the stored one.</li>
 *   <li>A delete replaces whatever was pending for its key; a primary-key change arrives as a delete of the
 *       old key and an insert of the new one.</li>
 *   <li>A TRUNCATE drops what was pending for its table and is written before the table's later changes.</li>
 *   <li>When a table gains columns, earlier rows count the new columns as not carried: they are not
 *       overwritten.</li>
 * </ul>
 */
final class ChangeBuffer {

    private final Map<String, TableChanges> tables = new LinkedHashMap<>();
    private int size;

    /**
     * The pending state of one key: for a delete its key values, else the row, which follows
     * {@code TableChanges.schema}. A keyless table's changes are each their own entry, in order; its updates and
     * deletes carry the whole old row in {@code old} (a delete: in {@code values}).
     */
    static final class Pending {
        final RowChange.Op op;
        final @Nullable String[] values;
        @Nullable String[] old;
        int[] unchanged;
        final long commitMicros;
        /**
         * Whether the key's first change in this buffer was an insert: the source did not hold the key before,
         * so neither does the target (it holds the source's state before the buffer), and the row can be
         * inserted without an upsert's conflict check.
         */
        final boolean fresh;

        Pending(RowChange.Op op, @Nullable String[] values, int[] unchanged, long commitMicros, boolean fresh) {
            this.op = op;
            this.values = values;
            this.unchanged = unchanged;
            this.commitMicros = commitMicros;
            this.fresh = fresh;
        }

        boolean isDelete() {
            return op == RowChange.Op.DELETE;
        }
    }

    /** What is pending for one table. */
    static final class TableChanges {
        TableSchema schema;
        int[] keyIndexes;
        boolean truncate;
        final Map<Key, Pending> rows = new LinkedHashMap<>();
        /** Whether a keyless table has updates or deletes pending, which must be written in order. */
        boolean keylessEdits;
        private long keyless;

        TableChanges(TableSchema schema) {
            this.schema = schema;
            this.keyIndexes = schema.keyIndexes();
        }
    }

    /** A primary-key value. */
    record Key(@Nullable String[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(values, k.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    /** Makes sure the table is written (created if missing, evolved) even if no row of it changes. */
    void touch(TableSchema table) {
        TableChanges t = tables.get(table.qualifiedName());
        if (t == null) {
            tables.put(table.qualifiedName(), new TableChanges(table));
        } else if (!t.schema.columns().equals(table.columns())) {
            evolve(t, table);
        }
    }

    /**
     * Adds a change.
     *
     * @throws UnappliableChangeException if the change cannot be applied to a replica at all
     */
    void add(TableSchema table, RowChange change, long commitMicros) {
        touch(table);
        TableChanges t = tables.get(table.qualifiedName());
        switch (change.op()) {
            case TRUNCATE -> {
                size -= t.rows.size();
                t.rows.clear();
                t.truncate = true;
                t.keylessEdits = false;
            }
            case DELETE -> {
                if (t.keyIndexes.length == 0) {
                    // its whole old row: the row to delete, and what finds it
                    addKeyless(t, change, change.key(), commitMicros);
                    return;
                }
                Key key = new Key(change.key());
                Pending earlier = t.rows.get(key);
                put(t, key, new Pending(RowChange.Op.DELETE, change.key(), new int[0], commitMicros,
                        earlier != null && earlier.fresh));
            }
            case INSERT, UPDATE -> {
                String[] row = change.row();
                if (t.keyIndexes.length == 0) {
                    addKeyless(t, change, row, commitMicros);
                    return;
                }
                Key key = keyOf(t.keyIndexes, row);
                Pending earlier = t.rows.get(key);
                int[] unchanged = change.unchanged();
                if (unchanged.length > 0 && earlier != null && !earlier.isDelete()) {
                    row = row.clone();
                    unchanged = carryOver(row, unchanged, earlier);
                }
                boolean fresh = earlier != null ? earlier.fresh : change.op() == RowChange.Op.INSERT;
                put(t, key, new Pending(change.op(), row, unchanged, commitMicros, fresh));
            }
        }
    }

    /** A keyless table's change, kept in order: an update or delete finds its row by the whole old row. */
    private void addKeyless(TableChanges t, RowChange change, @Nullable String[] values, long commitMicros) {
        Pending pending = new Pending(change.op(), values, change.unchanged(), commitMicros,
                change.op() == RowChange.Op.INSERT);
        if (change.op() != RowChange.Op.INSERT) {
            if (change.key() == null) {
                throw new UnappliableChangeException("table " + t.schema.qualifiedName() + " has no primary key and "
                        + "its " + change.op() + " came without the old row; give it a primary key or REPLICA "
                        + "IDENTITY FULL");
            }
            pending.old = change.key();
            t.keylessEdits = true;
        }
        put(t, new Key(new String[] {"\0keyless", Long.toString(t.keyless++)}), pending);
    }

    private void put(TableChanges t, Key key, Pending pending) {
        if (t.rows.put(key, pending) == null) {
            size++;
        }
    }

    /** Takes from {@code earlier} the values of the columns this upsert did not carry; returns what is still missing. */
    private static int[] carryOver(@Nullable String[] row, int[] unchanged, Pending earlier) {
        int[] still = new int[unchanged.length];
        int n = 0;
        for (int column : unchanged) {
            if (Arrays.binarySearch(earlier.unchanged, column) >= 0 || column >= earlier.values.length) {
                still[n++] = column;
            } else {
                row[column] = earlier.values[column];
            }
        }
        return Arrays.copyOf(still, n);
    }

    /** Re-lays pending rows on a table's new column list; columns a row lacks count as not carried. */
    private static void evolve(TableChanges t, TableSchema newer) {
        Map<String, Integer> oldIndex = new HashMap<>();
        for (int i = 0; i < t.schema.columns().size(); i++) {
            oldIndex.put(t.schema.columns().get(i).name(), i);
        }
        Collection<Column> columns = newer.columns();
        for (Map.Entry<Key, Pending> entry : t.rows.entrySet()) {
            Pending p = entry.getValue();
            if (p.isDelete() && p.old == null) {
                continue;
            }
            String[] oldRow = p.old == null ? null : new String[columns.size()];
            String[] values = new String[columns.size()];
            int[] missing = new int[columns.size()];
            int n = 0;
            int i = 0;
            for (Column column : columns) {
                Integer old = oldIndex.get(column.name());
                if (old == null || Arrays.binarySearch(p.unchanged, old) >= 0) {
                    missing[n++] = i;
                } else {
                    values[i] = p.values[old];
                }
                if (oldRow != null && old != null) {
                    oldRow[i] = p.old[old];
                }
                i++;
            }
            Pending relaid = new Pending(p.op, values, Arrays.copyOf(missing, n), p.commitMicros, p.fresh);
            relaid.old = oldRow;
            entry.setValue(relaid);
        }
        t.schema = newer;
        t.keyIndexes = newer.keyIndexes();
    }

    private static Key keyOf(int[] keyIndexes, @Nullable String[] row) {
        String[] key = new String[keyIndexes.length];
        for (int i = 0; i < keyIndexes.length; i++) {
            key[i] = row[keyIndexes[i]];
        }
        return new Key(key);
    }

    Collection<TableChanges> tables() {
        return tables.values();
    }

    /** Pending keys, across tables. */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return tables.isEmpty();
    }

    void clear() {
        tables.clear();
        size = 0;
    }
}
