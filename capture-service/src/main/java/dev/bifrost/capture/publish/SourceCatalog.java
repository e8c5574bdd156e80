package dev.bifrost.capture.publish;

import dev.bifrost.model.Column;
import dev.bifrost.model.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Reads column types, nullability and primary keys of source tables from ThorDB's catalog. */
@Component
class SourceCatalog {

    static final String COLUMNS = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   coalesce(a.attnum = ANY (i.indkey), false), a.attgenerated <> ''
            FROM pg_attribute a
            LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
            WHERE a.attrelid = to_regclass(quote_ident(?) || '.' || quote_ident(?))
              AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum""";

    static final String PUBLISHED_TABLES = """
            SELECT schemaname, tablename FROM pg_publication_tables WHERE pubname = ? ORDER BY 1, 2""";

    private final JdbcTemplate jdbc;

    SourceCatalog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every table the publication publishes now, with its columns. */
    List<TableSchema> publishedTables(String publication) {
        List<TableSchema> tables = new ArrayList<>();
        jdbc.query(PUBLISHED_TABLES, rs -> {
            String schema = rs.getString(1);
            String table = rs.getString(2);
            tables.add(new TableSchema(schema, table, new ArrayList<>(columns(schema, table).values())));
        }, publication);
        return tables;
    }

    /** The table's current columns by name, in table order; empty if the table no longer exists. */
    Map<String, Column> columns(String schema, String table) {
        Map<String, Column> columns = new LinkedHashMap<>();
        jdbc.query(COLUMNS, rs -> {
            String name = rs.getString(1);
            columns.put(name, new Column(name, rs.getString(2), !rs.getBoolean(3), rs.getBoolean(4)));
        }, schema, table);
        return columns;
    }
}
