package dev.bifrost.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Content checksums of tables: md5 of every row's text, in primary-key order (a keyless table's rows in the
 * order of their text, so that it compares as a multiset), over the columns of the source table (targets have an
 * extra {@code replicated_at} column that the checksum leaves out).
 */
public final class TableChecksum {

    private static final String COLUMNS = """
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position""";

    private static final String KEY = """
            SELECT a.attname FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = (quote_ident(?) || '.' || quote_ident(?))::regclass AND i.indisprimary
            ORDER BY array_position(i.indkey, a.attnum)""";

    private static final String TABLES = """
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name""";

    private TableChecksum() {
    }

    /** The base tables of a schema, by name. */
    public static List<String> tables(Connection c, String schema) throws SQLException {
        return list(c, TABLES, schema);
    }

    public static List<String> columns(Connection c, String schema, String table) throws SQLException {
        return list(c, COLUMNS, schema, table);
    }

    public static List<String> primaryKey(Connection c, String schema, String table) throws SQLException {
        return list(c, KEY, schema, table);
    }

    /**
     * The checksum of {@code schema.table} on {@code c} over {@code columns}, ordered by {@code key}, as
     * {@code rows:md5}. Rows are compared by their text so that types print alike on both sides.
     */
    public static String checksum(Connection c, String schema, String table, List<String> columns, List<String> key)
            throws SQLException {
        String cols = columns.stream().map(TableChecksum::quote).collect(Collectors.joining(", "));
        String order = key.isEmpty() ? "row(" + cols + ")::text"
                : key.stream().map(TableChecksum::quote).collect(Collectors.joining(", "));
        String sql = "SELECT count(*), coalesce(md5(string_agg(row(" + cols + ")::text, E'\\n' ORDER BY " + order
                + ")), '') FROM " + quote(schema) + "." + quote(table);
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1) + ":" + rs.getString(2);
        }
    }

    /** The checksum of a source table, taking columns and key from the source. */
    public static String checksum(Connection source, String schema, String table) throws SQLException {
        return checksum(source, schema, table, columns(source, schema, table), primaryKey(source, schema, table));
    }

    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static List<String> list(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        }
    }
}
