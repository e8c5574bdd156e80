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
            ORDER BY commit_lsn DESC, shape IS NULL LIMIT 1""";

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

    /**
     * Records the shapes of the tables a new initial snapshot copied, replacing every shape recorded for an earlier
     * slot. At LSN 0: a transaction that committed after the snapshot's consistent point may have written rows
     * before it, and those rows have these shapes too.
     */
    void recordSnapshot(List<TableSchema> tables) {
        jdbc.update("DELETE FROM bifrost.captured_shape");
        for (TableSchema table : tables) {
            jdbc.update(RECORD, table.oid(), table.schema(), table.name(), "0", ShapeJson.write(table));
        }
    }

    /**
     * Records today's shapes at LSN 0 if none is on record (a capture that streamed before this history
     * existed): the best there is for the tables no schema change touches from here on.
     */
    void seedIfEmpty(List<TableSchema> tables) {
        Long recorded = jdbc.queryForObject("SELECT count(*) FROM bifrost.captured_shape", Long.class);
        if (recorded != null && recorded == 0) {
            recordSnapshot(tables);
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
