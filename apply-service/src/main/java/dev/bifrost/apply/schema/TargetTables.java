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
import java.util.stream.Collectors;

/**
 * Creates and evolves a target's tables from the column metadata in the changelog: same schema and table
 * names, same PostgreSQL types and primary key as the source, plus {@value #REPLICATED_AT} with the source
 * commit time of the row's last change. New columns are added; a column whose type changed on the source is
 * altered to the new type. Columns are never dropped (a replica keeps what it was given). One instance per
 * target connection; its knowledge of the target must be {@link #forget() forgotten} after a rollback, since
 * the DDL it ran was rolled back too.
 */
public final class TargetTables {

    /** The column that records the source commit time of a row's last change. */
    public static final String REPLICATED_AT = "replicated_at";

    private static final String COLUMNS = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod)
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?))
              AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum""";

    private final Map<String, Map<String, String>> known = new HashMap<>();
    private final Map<String, List<Column>> verified = new HashMap<>();

    /** Makes sure the target table can hold rows of {@code table}; cheap when nothing changed. */
    public void ensure(Connection c, TableSchema table) throws SQLException {
        String qualified = table.qualifiedName();
        if (table.columns().equals(verified.get(qualified))) {
            return;
        }
        Map<String, String> existing = known.get(qualified);
        if (existing == null) {
            existing = read(c, table);
        }
        if (existing.isEmpty()) {
            create(c, table);
        } else {
            evolve(c, table, existing);
        }
        known.put(qualified, read(c, table));
        verified.put(qualified, table.columns());
    }

    private static Map<String, String> read(Connection c, TableSchema table) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return columns;
    }

    private static void create(Connection c, TableSchema table) throws SQLException {
        List<String> definitions = new ArrayList<>();
        for (Column column : table.columns()) {
            definitions.add(quote(column.name()) + " " + column.type() + (column.primaryKey() ? " NOT NULL" : ""));
        }
        definitions.add(quote(REPLICATED_AT) + " timestamptz");
        String key = table.columns().stream().filter(Column::primaryKey).map(col -> quote(col.name()))
                .collect(Collectors.joining(", "));
        if (!key.isEmpty()) {
            definitions.add("PRIMARY KEY (" + key + ")");
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + quote(table.schema()));
            s.execute("CREATE TABLE IF NOT EXISTS " + name(table) + " (" + String.join(", ", definitions) + ")");
        }
    }

    private static void evolve(Connection c, TableSchema table, Map<String, String> existing) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (Column column : table.columns()) {
                String type = existing.get(column.name());
                if (type == null) {
                    s.execute("ALTER TABLE " + name(table) + " ADD COLUMN IF NOT EXISTS " + quote(column.name()) + " "
                            + column.type());
                } else if (!type.equals(column.type())) {
                    s.execute("ALTER TABLE " + name(table) + " ALTER COLUMN " + quote(column.name()) + " TYPE "
                            + column.type() + " USING " + quote(column.name()) + "::" + column.type());
                }
            }
        }
    }

    /** Drops what this instance believes about the target, after a rollback. */
    public void forget() {
        known.clear();
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
