package dev.bifrost.capture.publish;

import dev.bifrost.model.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the shapes of source tables from ThorDB's catalog, through {@code bifrost_ddl.table_shape()}: the same
 * function whose output the event trigger writes into the WAL, so the stream and the catalog describe a table
 * alike.
 */
@Component
class SourceCatalog {

    private static final String PUBLISHED_SHAPES = """
            SELECT bifrost_ddl.table_shape(format('%I.%I', schemaname, tablename)::regclass)::text
            FROM pg_publication_tables WHERE pubname = ? ORDER BY schemaname, tablename""";

    private static final String SHAPE = "SELECT bifrost_ddl.table_shape(to_regclass(quote_ident(?) || '.' || quote_ident(?)))::text";

    private final JdbcTemplate jdbc;

    SourceCatalog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every table the publication publishes now, with its columns. */
    List<TableSchema> publishedTables(String publication) {
        return jdbc.execute((Connection c) -> publishedTables(c, publication));
    }

    /** Every table the publication publishes, as the connection's transaction sees them. */
    static List<TableSchema> publishedTables(Connection c, String publication) throws SQLException {
        List<TableSchema> tables = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(PUBLISHED_SHAPES)) {
            ps.setString(1, publication);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tables.add(ShapeJson.table(rs.getString(1)));
                }
            }
        }
        return tables;
    }

    /** The table's current shape; null if it does not exist (any more). */
    @Nullable TableSchema shape(String schema, String table) {
        return ShapeJson.table(jdbc.queryForObject(SHAPE, String.class, schema, table));
    }
}
