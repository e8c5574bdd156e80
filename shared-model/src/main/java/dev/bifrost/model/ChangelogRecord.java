package dev.bifrost.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One record of the changelog topic: a chunk of one source transaction, or a heartbeat.
 *
 * <p>A source transaction is published as one or more chunks with consecutive {@link #seq()} numbers
 * starting at 0; the chunk with {@link #last()} set closes it and is the only one that carries the
 * commit LSN. The initial snapshot is published the same way, as one transaction of kind
 * {@link Kind#SNAPSHOT}, whose chunks carry their rows in COPY text format ({@link #copy()}). A capture
 * restart may publish the chunks of an unfinished transaction again from seq 0, and may publish a finished
 * transaction twice: readers discard a transaction whose commit LSN is not above the last one they applied,
 * and restart a transaction when its seq 0 reappears.
 *
 * @param version          wire format version, {@link ChangelogSerde#VERSION} when written by this code
 * @param kind             what the record carries
 * @param xid              source transaction id (0 for heartbeats)
 * @param seq              chunk number within the transaction, from 0
 * @param last             whether this chunk closes the transaction (always true for heartbeats)
 * @param commitLsn        commit LSN of the transaction when {@code last}, else 0; for a heartbeat the
 *                         source position the capture had fully published when it was sent
 * @param commitTimeMicros source commit time in microseconds since the epoch; for a heartbeat, when the
 *                         capture found itself caught up
 * @param tables           the tables referenced by {@code changes}, with their columns
 * @param changes          the row changes, in source order
 * @param copy             for a chunk of the initial snapshot: rows of {@code tables[0]} in COPY text format
 *                         (then {@code changes} is empty); null otherwise
 * @param schemaChanges    changes of table shapes, each at its position among {@code changes}, in order
 */
public record ChangelogRecord(
        int version,
        Kind kind,
        long xid,
        int seq,
        boolean last,
        long commitLsn,
        long commitTimeMicros,
        List<TableSchema> tables,
        List<RowChange> changes,
        @Nullable CopyRows copy,
        List<SchemaChange> schemaChanges) {

    public ChangelogRecord {
        tables = List.copyOf(tables);
        changes = List.copyOf(changes);
        schemaChanges = List.copyOf(schemaChanges);
        if (copy != null && (tables.size() != 1 || !changes.isEmpty())) {
            throw new IllegalArgumentException("COPY rows belong to exactly one table and come without changes");
        }
        int at = 0;
        for (SchemaChange change : schemaChanges) {
            if (change.at() < at || change.at() > changes.size()) {
                throw new IllegalArgumentException("schema change at " + change.at() + " out of order or past the "
                        + changes.size() + " changes");
            }
            at = change.at();
        }
    }

    public ChangelogRecord(int version, Kind kind, long xid, int seq, boolean last, long commitLsn,
            long commitTimeMicros, List<TableSchema> tables, List<RowChange> changes, @Nullable CopyRows copy) {
        this(version, kind, xid, seq, last, commitLsn, commitTimeMicros, tables, changes, copy, List.of());
    }

    public ChangelogRecord(int version, Kind kind, long xid, int seq, boolean last, long commitLsn,
            long commitTimeMicros, List<TableSchema> tables, List<RowChange> changes) {
        this(version, kind, xid, seq, last, commitLsn, commitTimeMicros, tables, changes, null, List.of());
    }

    /** A chunk of the initial snapshot carrying rows of {@code table} in COPY text format. */
    public static ChangelogRecord snapshotRows(long xid, int seq, long timeMicros, TableSchema table, CopyRows rows) {
        return new ChangelogRecord(ChangelogSerde.VERSION, Kind.SNAPSHOT, xid, seq, false, 0, timeMicros,
                List.of(table), List.of(), rows);
    }

    public static ChangelogRecord heartbeat(long positionLsn, long timeMicros) {
        return new ChangelogRecord(ChangelogSerde.VERSION, Kind.HEARTBEAT, 0, 0, true, positionLsn, timeMicros,
                List.of(), List.of());
    }

    public static ChangelogRecord schema(List<TableSchema> tables, long timeMicros) {
        return new ChangelogRecord(ChangelogSerde.VERSION, Kind.SCHEMA, 0, 0, true, 0, timeMicros, tables, List.of());
    }

    /** What a changelog record carries. */
    public enum Kind {
        /** A chunk of a streamed source transaction. */
        TRANSACTION,
        /** A chunk of the initial snapshot, which is applied as one transaction. */
        SNAPSHOT,
        /** No data: the source had nothing more to send at {@code commitTimeMicros}. */
        HEARTBEAT,
        /**
         * No data: the tables the capture published, as today's catalog had them when it started (capture-service
         * before format version 3, which had no schema changes in the stream). Not a transaction: readers create
         * missing tables and columns, nothing else. No longer written: the initial snapshot carries every table,
         * and schema changes travel in their transactions.
         */
        SCHEMA
    }
}
