package dev.bifrost.capture.publish;

import dev.bifrost.model.SchemaChange;
import dev.bifrost.model.TableSchema;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The shapes of captured tables as published, by commit LSN ({@code bifrost.captured_shape}), so that a capture
 * that restarts with a backlog types each event with the shape its table had when the event was written. A
 * shape is recorded after Kafka acknowledged its transaction, before Debezium's offset may move past it.
 */
@Component
class ShapeHistory {

    private static final String RECORD = """
            INSERT INTO bifrost.captured_shape (table_oid, schema_name, table_name, commit_lsn, shape)
            VALUES (?, ?, ?, '0/0'::pg_lsn + ?::numeric, ?::jsonb)
            ON CONFLICT (table_oid, commit_lsn) DO UPDATE SET schema_name = EXCLUDED.schema_name,
                table_name = EXCLUDED.table_name, shape = EXCLUDED.shape""";

    private static final String BY_NAME = """
            SELECT shape::text FROM bifrost.captured_shape
            WHERE schema_name = ? AND table_name = ? AND commit_lsn <= '0/0'::pg_lsn + ?::numeric
            ORDER BY commit_lsn DESC LIMIT 1""";

    private static final String BY_OID = """
            SELECT shape::text FROM bifrost.captured_shape
            WHERE table_oid = ? AND commit_lsn <= '0/0'::pg_lsn + ?::numeric
            ORDER BY commit_lsn DESC LIMIT 1""";

    private final JdbcTemplate jdbc;

    ShapeHistory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the shapes a committed transaction left (the last change of each table counts). */
    void record(List<SchemaChange> changes, long commitLsn) {
        for (SchemaChange change : changes) {
            TableSchema table = change.after() != null ? change.after() : change.before();
            jdbc.update(RECORD, table.oid(), table.schema(), table.name(), Long.toUnsignedString(commitLsn),
                    change.after() == null ? null : ShapeJson.write(change.after()));
        }
    }

    /** Records the shapes of the tables the initial snapshot copied, at its consistent point. */
    void recordSnapshot(List<TableSchema> tables, long consistentLsn) {
        for (TableSchema table : tables) {
            jdbc.update(RECORD, table.oid(), table.schema(), table.name(), Long.toUnsignedString(consistentLsn),
                    ShapeJson.write(table));
        }
    }

    /** The shape the table of that name had at {@code lsn}; null if none is on record (or it was dropped). */
    @Nullable TableSchema byName(String schema, String name, long lsn) {
        List<String> shapes = jdbc.queryForList(BY_NAME, String.class, schema, name, Long.toUnsignedString(lsn));
        return shapes.isEmpty() ? null : ShapeJson.table(shapes.get(0));
    }

    /** The shape the table with that oid had at {@code lsn}; null if none is on record (or it was dropped). */
    @Nullable TableSchema byOid(long oid, long lsn) {
        List<String> shapes = jdbc.queryForList(BY_OID, String.class, oid, Long.toUnsignedString(lsn));
        return shapes.isEmpty() ? null : ShapeJson.table(shapes.get(0));
    }
}
