package dev.bifrost.apply.schema;

import dev.bifrost.model.Column;
import dev.bifrost.model.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Makes a target's tables able to hold the rows of the changelog: same schema and table names, column types,
 * NOT NULL, generated columns and replication key as the source, plus the stamp column (by default
 * {@value #REPLICATED_AT}) with the source commit time of the row's last change, unless the source table has a
 * column of that name itself. A table that exists already (created by an operator, or left by another
 * replicator) is brought to that shape: missing columns are added; a key it lacks is added; a different key is
 * refused with a message naming both, rather than every write failing row by row. Shape changes themselves
 * (renames, drops, type changes) arrive as schema changes ({@link ShapeChanges}). One instance per target
 * connection; its knowledge of the target must be {@link #forget() forgotten} after a rollback, since the DDL it
 * ran was rolled back too.
 */
public final class TargetTables {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TargetTables.class);

    /** The default name of the column that records the source commit time of a row's last change. */
    public static final String REPLICATED_AT = "replicated_at";

    private static final String COLUMNS = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?))
              AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum""";

    private static final String PRIMARY_KEY = """
            SELECT a.attname FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?)) AND i.indisprimary
            ORDER BY a.attnum""";

    private final String stampColumn;
    private final Map<String, List<Column>> verified = new HashMap<>();

    public TargetTables(String stampColumn) {
        this.stampColumn = stampColumn;
    }

    /** The name of Bifrost's column for the source commit time, as configured. */
    public String stampColumn() {
        return stampColumn;
    }

    /**
     * The column that holds the source commit time of the table's rows; null when the source table has a column
     * of that name itself (its values are the source's then, and the table goes without).
     */
    public @Nullable String stamp(TableSchema table) {
        for (Column column : table.columns()) {
            if (column.name().equals(stampColumn)) {
                return null;
            }
        }
        return stampColumn;
    }

    /** Makes sure the target table can hold rows of {@code table}; cheap when nothing changed. */
    public void ensure(Connection c, TableSchema table) throws SQLException {
        String qualified = table.qualifiedName();
        if (table.columns().equals(verified.get(qualified))) {
            return;
        }
        Map<String, String> existing = columns(c, table.schema(), table.name());
        if (existing.isEmpty()) {
            create(c, table);
        } else {
            adopt(c, table, existing);
        }
        verified.put(qualified, table.columns());
    }

    /** The target table's columns and their types, in order; empty if it does not exist. */
    static Map<String, String> columns(Connection c, String schema, String table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }

    /** The columns of the target table's primary key, in table order; empty if it has none. */
    static List<String> primaryKey(Connection c, String schema, String table) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(PRIMARY_KEY)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    private void create(Connection c, TableSchema table) throws SQLException {
        List<String> definitions = new ArrayList<>();
        for (Column column : table.columns()) {
            definitions.add(definition(column));
        }
        String stamp = stamp(table);
        if (stamp != null) {
            definitions.add(quote(stamp) + " timestamptz");
        }
        String key = keyList(table);
        if (!key.isEmpty()) {
            definitions.add("PRIMARY KEY (" + key + ")");
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + quote(table.schema()));
            s.execute("CREATE TABLE IF NOT EXISTS " + name(table) + " (" + String.join(", ", definitions) + ")");
        }
    }

    /** A column's definition as the source has it. */
    static String definition(Column column) {
        String definition = quote(column.name()) + " " + column.type();
        if (column.generated() != null) {
            return definition + " GENERATED ALWAYS AS (" + column.generated() + ") STORED";
        }
        return definition + (column.nullable() && !column.primaryKey() ? "" : " NOT NULL");
    }

    /** Brings an existing table to the shape: columns it lacks are added, its key checked. */
    private void adopt(Connection c, TableSchema table, Map<String, String> existing) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (Column column : table.columns()) {
                if (!existing.containsKey(column.name())) {
                    log.info("target table {} lacks column {}: added", table.qualifiedName(), column.name());
                    // without NOT NULL: the table's existing rows have no value for it
                    s.execute("ALTER TABLE " + name(table) + " ADD COLUMN " + (column.generated() != null
                            ? definition(column) : quote(column.name()) + " " + column.type()));
                }
            }
            String stamp = stamp(table);
            if (stamp != null && !existing.containsKey(stamp)) {
                s.execute("ALTER TABLE " + name(table) + " ADD COLUMN " + quote(stamp) + " timestamptz");
            }
            List<String> sourceKey = table.columns().stream().filter(Column::primaryKey).map(Column::name).toList();
            List<String> targetKey = primaryKey(c, table.schema(), table.name());
            if (targetKey.isEmpty() && !sourceKey.isEmpty()) {
                s.execute("ALTER TABLE " + name(table) + " ADD PRIMARY KEY (" + keyList(table) + ")");
            } else if (!sourceKey.isEmpty() && !Set.copyOf(targetKey).equals(Set.copyOf(sourceKey))) {
                throw new SQLException("target table " + table.qualifiedName() + " has the primary key " + targetKey
                        + " but the source's key is " + sourceKey + "; give the target table the source's key (or drop "
                        + "the table to have it created)", "42P16");
            }
        }
    }

    private static String keyList(TableSchema table) {
        return table.columns().stream().filter(Column::primaryKey).map(col -> quote(col.name()))
                .collect(Collectors.joining(", "));
    }

    /** Drops what this instance believes about the target, after a rollback or a schema change. */
    public void forget() {
        verified.clear();
    }

    /** The quoted, schema-qualified name of the target table. */
    public static String name(TableSchema table) {
        return quote(table.schema()) + "." + quote(table.name());
    }

    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
